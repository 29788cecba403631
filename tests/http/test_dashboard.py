"""The land-supply dashboard on both stores: its figures equal a direct computation (pandas over
store.query and the audit trail), the CSV, the charts, bad filters, and the staff-only pipeline."""

import csv
import io
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as
from tests.hostile import HOSTILE, hostile_items, write_hostile_district
from tests.http.project_steps import add_project
from tests.store.postgis_fixtures import postgis_schema_url
from webapp.domain.audit import ChangeFilter
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import load_landuse_table
from webapp.domain.units import m2_to_mu

STATUS_EDITS = (("T-002", "available"), ("T-003", "available"), ("T-002", "sold"))
PROJECT_MARKER = "PIPELINE-ONLY-9d1e"


@pytest.fixture(scope="module", params=["gpkg", "postgis"])
def app(request, tmp_path_factory):
    """The four-parcel app on each store, with status edits (an audit trail), staff and a
    signed project."""
    tmp = tmp_path_factory.mktemp(f"dashboard-{request.param}")
    if request.param == "gpkg":
        made = make_app(tmp, DATA / "small.geojson")
        yield prepared(made)
        return
    with postgis_schema_url() as url:
        made = make_app(tmp, DATA / "small.geojson", STORE_URL=url)
        try:
            yield prepared(made)
        finally:
            made.extensions["landgis.store"].close()


def prepared(app):
    """The app with STATUS_EDITS made, staff accounts and one signed project this year."""
    store = app.extensions["landgis.store"]
    for code, status in STATUS_EDITS:
        store.update_parcel(store.get(code).id, {"status": status}, None, "eddie", "edit")
    add_staff(app)
    add_project(app, name=PROJECT_MARKER, stage="signed", industry="intelligent_equipment",
                investment_wan=30000.0)
    return app


def figures_csv(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/dashboard.csv{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def expected_areas(store, parcel_filter: ParcelFilter, key) -> dict[tuple[str, str], float]:
    """(group, status) → area in 亩 of the published parcels, computed directly."""
    page = store.query(parcel_filter, limit=None, with_geometry=False)
    frame = pd.DataFrame([{"group": key(p), "status": p.status, "area_m2": p.area_m2}
                          for p in page.parcels])
    sums = frame.groupby(["group", "status"])["area_m2"].sum()
    return {index: round(m2_to_mu(value), 2) for index, value in sums.items()}


def csv_areas(rows, section: str) -> dict[tuple[str, str], float]:
    return {(row["key"], row["measure"].removeprefix("area_mu_")): float(row["value"])
            for row in rows if row["section"] == section and row["measure"].startswith("area")}


@pytest.mark.parametrize("query, parcel_filter", [
    ("", ParcelFilter()),
    ("?street=金家庄街道", ParcelFilter(streets=("金家庄街道",))),
    ("?land_use=10,11", ParcelFilter(land_uses=("10", "11"))),
    # area, text and bbox filters are not applied by the dashboard (a fresh scan each)
    ("?land_use=10,11&area_min=100000&q=zzz", ParcelFilter(land_uses=("10", "11"))),
])
def test_dashboard_areas_equal_direct_computation(app, query, parcel_filter):
    store, table = app.extensions["landgis.store"], load_landuse_table()
    rows = figures_csv(app.test_client(), query)
    shown = ("available", "negotiating", "sold")
    by_class = expected_areas(store, parcel_filter, lambda p: table.top_level(p.land_use).code)
    assert csv_areas(rows, "land_use_class") == {k: v for k, v in by_class.items()
                                                 if k[1] in shown}
    by_street = expected_areas(store, parcel_filter, lambda p: p.street or "")
    assert csv_areas(rows, "street") == {k: v for k, v in by_street.items() if k[1] in shown}
    by_status = expected_areas(store, parcel_filter, lambda p: p.status)
    assert csv_areas(rows, "status") == by_status


def test_dashboard_says_which_map_filters_it_does_not_apply(app):
    client = app.test_client()
    assert 'id="ignored-filters"' in client.get("/dashboard?area_min=5&lang=en").get_data(
        as_text=True)
    assert 'id="ignored-filters"' not in client.get("/dashboard?street=x").get_data(
        as_text=True)


def test_dashboard_months_equal_the_audit_trail(app):
    store = app.extensions["landgis.store"]
    changes = store.changes(ChangeFilter(field="status"), limit=1000).changes
    frame = pd.DataFrame([{"month": c.changed_at[:7], "new": c.new_value} for c in changes])
    expected = frame[frame["new"].isin(["available", "sold"])].groupby(["month", "new"]).size()
    rows = figures_csv(app.test_client())
    got = {(r["key"], r["measure"].replace("made_", "")): int(r["value"])
           for r in rows if r["section"] == "month" and int(r["value"])}
    assert got == {index: int(count) for index, count in expected.items()}
    assert sum(got.values()) == len(STATUS_EDITS)


def test_dashboard_largest_lists_available_parcels_with_links(app):
    store = app.extensions["landgis.store"]
    available = store.query(ParcelFilter(statuses=("available",)), limit=None,
                            with_geometry=False).parcels
    largest = max(available, key=lambda p: p.area_m2)
    html = app.test_client().get("/dashboard?lang=en").get_data(as_text=True)
    assert f'href="/parcels/{largest.code}"' in html
    rows = [r for r in figures_csv(app.test_client()) if r["section"] == "largest_available"]
    assert [r["key"] for r in rows] == [p.code for p in sorted(
        available, key=lambda p: -p.area_m2)]


def test_dashboard_page_has_each_chart_beside_a_captioned_table(app):
    response = app.test_client().get("/dashboard?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for name in ("status", "class", "street", "months"):
        assert f'src="/dashboard/charts/{name}.svg"' in html
    assert html.count("<caption>") >= 5 and 'scope="col"' in html
    assert 'id="dashboard-link"' in html


@pytest.mark.parametrize("name", ["status", "class", "street", "months"])
def test_dashboard_chart_is_static_svg(app, name):
    response = app.test_client().get(f"/dashboard/charts/{name}.svg?lang=zh")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = ET.fromstring(response.data)
    assert svg.get("role") == "img" and svg.find("{http://www.w3.org/2000/svg}title") is not None
    assert not [e for e in svg.iter() if e.tag.endswith(("script", "style", "foreignObject"))]


def test_dashboard_csv_has_bom_and_one_charset(app):
    response = app.test_client().get("/dashboard.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode()) and b"section,key,name" in response.data
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("query, parameter", [
    ("status=bogus", "status"), ("land_use=9999", "land_use"), ("area_min=abc", "area_min"),
    ("area_min=5&area_max=1", "area_min"), ("bbox=1,2,3", "bbox"), ("q=" + "长" * 101, "q"),
])
@pytest.mark.parametrize("path", ["/dashboard", "/dashboard.csv", "/dashboard/charts/class.svg"])
def test_dashboard_bad_filter_is_400_with_message(app, path, query, parameter):
    response = app.test_client().get(f"{path}?{query}&lang=en")
    assert response.status_code == 400
    assert f"{parameter}: " in response.get_data(as_text=True)


def test_dashboard_pipeline_never_shown_anonymously(app):
    client = app.test_client()
    for path in ("/dashboard", "/dashboard?lang=en", "/dashboard.csv"):
        body = client.get(path).get_data(as_text=True)
        assert 'id="pipeline"' not in body
        assert not [line for line in body.splitlines() if line.startswith("pipeline")]
    assert client.get("/dashboard/charts/pipeline.svg").status_code == 404


def test_dashboard_pipeline_shown_to_staff(app):
    client = client_as(app, "viewer")
    html = client.get("/dashboard?lang=en").get_data(as_text=True)
    assert 'id="pipeline"' in html and 'data-measure="signed">1<' in html
    assert client.get("/dashboard/charts/pipeline.svg").status_code == 200
    rows = figures_csv(client)
    assert {"pipeline", "pipeline_month", "pipeline_industry"} <= {r["section"] for r in rows}
    assert PROJECT_MARKER not in html  # figures only, never a project's text


def test_dashboard_supply_is_kept_per_generation(app):
    store = app.extensions["landgis.store"]
    summaries, calls = store.summaries, []
    compute = summaries.compute_supply
    summaries.compute_supply = lambda f: calls.append(f) or compute(f)
    try:
        parcel_filter = ParcelFilter(area_min_mu=0.5, text="T-")
        first = summaries.supply(parcel_filter)
        assert summaries.supply(parcel_filter) == first and len(calls) == 1
        parcel = store.get("T-004")
        store.update_parcel(parcel.id, {"name": "新名称"}, None, "eddie", "edit")
        summaries.supply(parcel_filter)
        assert len(calls) == 2
    finally:
        summaries.compute_supply = compute


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard-hostile")
    return make_app(folder / "app", write_hostile_district(folder))


@pytest.mark.parametrize("key, text", hostile_items())
def test_dashboard_hostile_strings_stay_text(hostile_app, key, text):
    client = hostile_app.test_client()
    html = client.get("/dashboard").get_data(as_text=True)
    assert "X49Y" not in html and "AevaluatedB" not in html
    assert "<script>window.__pwned" not in html and "onerror=\"window" not in html
    svg = client.get("/dashboard/charts/street.svg").data
    assert b"__pwned=1</script>" not in svg and ET.fromstring(svg) is not None
    rows = figures_csv(client)
    for row in rows:
        assert not row["name"].startswith(("=", "+", "-", "@")), row
    if key.startswith("formula"):
        assert any(row["name"] == "'" + HOSTILE[key] for row in rows)


def test_dashboard_counts_against_the_api_rate_limit(tmp_path):
    limited = make_app(tmp_path, DATA / "small.geojson", RATELIMIT_ENABLED=True,
                       RATE_LIMIT_API="3/minute")
    client = limited.test_client()
    paths = ["/dashboard", "/dashboard/charts/class.svg", "/dashboard.csv", "/dashboard"]
    assert [client.get(path).status_code for path in paths] == [200, 200, 200, 429]
