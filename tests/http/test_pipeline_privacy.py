"""Enquiries, projects, notes and problems never reach an anonymous visitor.

A marker string sits in every text field of an enquiry, a project (made from it, then edited, so
the audit trail holds it too), its notes and its problems, and of a parcel problem staff keep
private; a second marker sits in a parcel problem staff mark public, which the parcel's own page
may show and nothing else. Then every GET route of the app's URL map (generated, with real
values), the API (pages, items, text search, /api/select, OpenAPI), every export format, the
vector tiles (decoded) and the map and parcel pages are requested anonymously: neither the
body nor the headers may hold the private marker. A logged-in viewer does see it on the staff
pages, so the markers are where the test looks.
"""

import re
import tempfile
from pathlib import Path

import mapbox_vector_tile
import pytest
import shapely

from tests.conftest import DATA, make_app
from tests.context_fixtures import add_context_layers
from tests.editing_fixtures import add_staff, client_as
from webapp.domain.audit import ChangeFilter
from webapp.domain.pipeline import ProblemFilter
from webapp.tiles.grid import tile_containing

MARKER = "PRIVATE-MARKER-7f3a"  # ASCII: no escaping in JSON, HTML, CSV or URLs can hide it
PUBLIC_MARKER = "PUBLIC-MARKER-51c2"
SEARCH = MARKER[len("PRIVATE-"):]  # matches every marked text; a page may echo it back
PARCEL = "T-001"  # the parcel asked about, made a project's, with the public problem
EXPORT_FORMATS = ("csv", "geojson", "gpkg")
TILE_ZOOMS = (10, 14, 17)
STAFF_PAGES = ("/admin/enquiries?status=all", "/admin/enquiries/{enquiry_id}", "/admin/projects",
               "/admin/projects?view=board", "/admin/projects/{project_id}",
               "/admin/projects.csv", "/admin/weekly", "/admin/parcels/{parcel_id}/problems",
               "/attachments/parcels/{code}", "/parcels/{code}")
EXTRA_URLS = (  # besides the generated routes: queries that could pull pipeline text in
    "/?lang=en", "/?lang=zh", f"/?q={SEARCH}", "/parcels/{parcel_id}", "/parcels/T-002",
    "/api/collections/parcels/items?limit=1", "/api/collections/parcels/items?limit=2&offset=2",
    "/api/collections/parcels/items?f=html", "/api/collections/parcels/items?limit=10000",
    f"/api/collections/parcels/items?q={SEARCH}", f"/api/collections/parcels/items?q={PARCEL}",
    "/api/collections/parcels/items/{parcel_id}?f=html", "/api/collections/parcels/items?"
    "street=金家庄街道", f"/api/collections/parcels/items?street={SEARCH}",
    "/api/select?land_use=1001", "/api/select?street=金家庄街道&status=negotiating",
    "/select?land_use=1001", "/select?land_use=1001&lang=en", "/api/openapi",
    "/api/openapi?f=html", "/api/collections/parcels/queryables", "/api/collections",
    f"/enquire?parcel={PARCEL}", f"/enquire?parcel={PARCEL}&lang=en", "/enquire/sent",
    "/privacy", "/export/parcels.csv?street=金家庄街道", f"/export/parcels.geojson?q={PARCEL}",
)


def private_texts(tag: str) -> dict[str, str]:
    """A value holding MARKER for each text field of a record, tagged by the field's name."""
    return {name: f"{MARKER} {tag}.{name}" for name in (
        "company", "contact_name", "message", "requirement", "name", "contact", "drop_reason",
        "street", "owner", "next_action", "title", "department", "notes")}


def fill_pipeline(store) -> dict[str, int]:
    """An enquiry made into a project, edited, with notes and problems; the ids made."""
    pipeline, parcel = store.pipeline, store.get(PARCEL)
    text = private_texts("e")
    enquiry = pipeline.add_enquiry({
        "parcel_codes": (PARCEL,), "company": text["company"],
        "contact_name": text["contact_name"], "phone": f"{MARKER}-phone",
        "email": f"{MARKER}@example.com", "industry": "software", "investment_wan": 4321.0,
        "jobs": 87, "message": text["message"], "language": "zh",
        "requirement": f"land_use=1001&q={MARKER}", "consent_at": "2026-12-01T08:00:00+00:00"})
    text = private_texts("p")
    values = {name: text[name] for name in ("name", "company", "contact", "street", "owner",
                                            "next_action")}
    project = pipeline.add_project({**values, "industry": "software", "investment_wan": 4321.0,
                                    "jobs": 87, "parcel_codes": (PARCEL,),
                                    "next_action_due": "2026-12-24"}, "eddie",
                                   enquiry_id=enquiry.id)
    project = pipeline.update_project(project.id, {"stage": "negotiating",
                                                   "next_action": f"{MARKER} second action"},
                                      project.version, "eddie")
    store.update_parcel(parcel.id, {"status": "negotiating"}, None, "eddie", "project")
    dropped = pipeline.add_project({"name": f"{MARKER} dropped project", "stage": "dropped",
                                    "drop_reason": text["drop_reason"]}, "eddie")
    pipeline.add_note(project.id, f"{MARKER} note", "eddie")
    problem = problem_values("project")
    project_problem = pipeline.add_problem({"project_id": project.id, **problem}, "eddie")
    pipeline.update_problem(project_problem.id, {"status": "solved",
                                                 "notes": f"{MARKER} solved note"},
                            project_problem.version, "eddie")
    pipeline.add_problem({"parcel_code": PARCEL, **problem_values("parcel")}, "eddie")
    pipeline.add_problem({"parcel_code": PARCEL, "title": f"{PUBLIC_MARKER} title",
                          "department": f"{PUBLIC_MARKER} department",
                          "notes": f"{PUBLIC_MARKER} notes", "public": True}, "eddie")
    return {"enquiry_id": enquiry.id, "project_id": project.id, "dropped_id": dropped.id,
            "problem_id": project_problem.id, "parcel_id": parcel.id}


def problem_values(tag: str) -> dict[str, object]:
    text = private_texts(tag)
    return {"title": text["title"], "department": text["department"], "notes": text["notes"],
            "due_date": "2026-11-30", "public": False}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The four-parcel app with context layers, staff and the marked pipeline."""
    app = make_app(tmp_path_factory.mktemp("privacy"), DATA / "small.geojson")
    add_staff(app)
    store = app.extensions["landgis.store"]
    add_context_layers(store)
    app.config["PRIVACY_IDS"] = {**fill_pipeline(store), **add_attachments(store)}
    return app


def add_attachments(store) -> dict[str, int]:
    """A public photo of the parcel, and an internal one captioned with the private marker
    (never shown to visitors); the public one's id for the file routes."""
    from tests.attachment_files import png
    from webapp.attachments.checking import AttachmentLimits, check_upload

    photo = check_upload(png(), "site.png", AttachmentLimits(1 << 20, 640, 1_000_000))
    public = store.attachments.add(PARCEL, photo, "site photo", False, "eddie")
    store.attachments.add(PARCEL, photo, MARKER, True, "eddie")
    return {"attachment_id": public.id}


def url_values(app) -> dict[str, str]:
    """A real value for each URL variable of the app's routes."""
    store = app.extensions["landgis.store"]
    ids = app.config["PRIVACY_IDS"]
    parcel = store.get(PARCEL)
    tile = tile_containing(*shapely.centroid(parcel.geometry).coords[0], 14)
    layer = store.context.layers()[0]
    return {"key": PARCEL, "parcel_id": str(parcel.id), "feature_id": str(parcel.id),
            "collection_id": layer.name, "name": layer.name, "context_feature_id": "1",
            "z": str(tile.z), "x": str(tile.x), "y": str(tile.y),
            "filename": "landgis/site.css", "token": "0" * 32,
            "change_id": str(store.changes(ChangeFilter()).changes[0].id),
            "user_id": str(store.staff.get_user("vera").id), "code": PARCEL, "profile_id": "1",
            **{name: str(value) for name, value in ids.items()}}


def fill(template: str, values: dict[str, str]) -> str:
    """A route rule or URL template with the values in its <variables> and {names}."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], template)
    return url.format(**values)


def get_routes() -> list[tuple[str, str]]:
    """(endpoint, rule) of every GET route, one per export format for the export route."""
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder), DATA / "small.geojson")
        rules = sorted((r.endpoint, r.rule) for r in app.url_map.iter_rules()
                       if "GET" in r.methods)
    return [(endpoint, rule.replace("<file_format>", fmt) if "<file_format>" in rule else rule)
            for endpoint, rule in rules for fmt in (EXPORT_FORMATS if "<file_format>" in rule
                                                    else ("",))]


def pytest_generate_tests(metafunc):
    if "get_route" in metafunc.fixturenames:
        routes = get_routes()
        metafunc.parametrize("get_route", routes, ids=[rule for _e, rule in routes])


def leaks(response, allowed_public: bool = False) -> list[str]:
    """Which markers a response carries in its body or headers (the public one when not
    allowed)."""
    found = []
    body = response.get_data()
    headers = str(list(response.headers.items())).encode()
    markers = [MARKER] if allowed_public else [MARKER, PUBLIC_MARKER]
    for marker in markers:
        if marker.encode() in body or marker.encode() in headers:
            found.append(marker)
    return found


def parcel_page(url: str, app) -> bool:
    """Whether the URL is the page of the parcel with the public problem."""
    parcel = app.extensions["landgis.store"].get(PARCEL)
    return url.split("?")[0] in (f"/parcels/{PARCEL}", f"/parcels/{parcel.id}")


def anonymous_get(app, url: str):
    return app.test_client().get(url, buffered=True)


def test_anonymous_route_shows_no_pipeline_data(app, get_route):
    _endpoint, rule = get_route
    url = fill(rule, url_values(app))
    response = anonymous_get(app, url)
    assert response.status_code < 500, url
    assert leaks(response, parcel_page(url, app)) == [], url


@pytest.mark.parametrize("template", EXTRA_URLS)
def test_anonymous_query_shows_no_pipeline_data(app, template):
    url = fill(template, url_values(app))
    response = anonymous_get(app, url)
    assert response.status_code < 500, url
    assert leaks(response, parcel_page(url, app)) == [], url


def test_anonymous_api_pages_show_no_pipeline_data(app):
    client, url, pages = app.test_client(), "/api/collections/parcels/items?limit=1", 0
    while url:
        response = client.get(url, buffered=True)
        assert response.status_code == 200 and leaks(response) == [], url
        url = next((link["href"] for link in response.json["links"]
                    if link["rel"] == "next"), None)
        pages += 1
    assert pages == 4


@pytest.mark.parametrize("file_format", EXPORT_FORMATS)
def test_anonymous_export_shows_no_pipeline_data(app, file_format):
    response = anonymous_get(app, f"/export/parcels.{file_format}")
    assert response.status_code == 200 and len(response.get_data()) > 0
    assert leaks(response) == []


@pytest.mark.parametrize("z", TILE_ZOOMS)
@pytest.mark.parametrize("collection", ["collections/parcels", "context"])
def test_anonymous_tiles_show_no_pipeline_data(app, collection, z):
    parcel = app.extensions["landgis.store"].get(PARCEL)
    tile = tile_containing(*shapely.centroid(parcel.geometry).coords[0], z)
    queries = ("", f"?q={SEARCH}", f"?q={PARCEL}") if collection == "collections/parcels" else ("",)
    for query in queries:
        response = anonymous_get(
            app, f"/api/{collection}/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}{query}")
        assert response.status_code in (200, 204) and leaks(response) == []
        layers = mapbox_vector_tile.decode(response.data) if response.data else {}
        values = [str(v) for layer in layers.values() for f in layer["features"]
                  for v in f["properties"].values()]
        assert not [v for v in values if MARKER in v or PUBLIC_MARKER in v]
        if collection == "collections/parcels" and not query:
            assert PARCEL in [f["properties"].get("code") for f in layers["parcels"]["features"]]


def test_parcel_page_shows_the_public_problem_only(app):
    parcel = app.extensions["landgis.store"].get(PARCEL)
    for url in (f"/parcels/{PARCEL}", f"/parcels/{parcel.id}?lang=en"):
        response = anonymous_get(app, url)
        assert response.status_code == 200
        assert PUBLIC_MARKER in response.get_data(as_text=True) and leaks(response, True) == []


def test_the_markers_are_stored(app):
    """The test looks for markers that are there: every record holds one."""
    store = app.extensions["landgis.store"]
    ids = app.config["PRIVACY_IDS"]
    problems = store.pipeline.problems(ProblemFilter())
    assert MARKER in store.pipeline.enquiry(ids["enquiry_id"]).message
    assert MARKER in store.pipeline.project(ids["project_id"]).next_action
    assert sum(PUBLIC_MARKER in p.title for p in problems) == 1 and len(problems) == 3


@pytest.mark.parametrize("template", STAFF_PAGES)
def test_viewer_sees_the_marker_on_staff_pages(app, template):
    response = client_as(app, "viewer").get(fill(template, url_values(app)), buffered=True)
    assert response.status_code == 200
    assert MARKER in leaks(response)  # the check the anonymous tests rely on finds it here
