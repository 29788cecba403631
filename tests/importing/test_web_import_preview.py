"""The import preview says what the import will do (counts, map, repaired areas), replace-all
needs a second confirmation naming the parcels it deletes, and only IMPORT_REPLACE_ROLE may
replace (issue 19 part 5)."""

import json
import re

import pytest

from tests.conftest import DATA
from tests.editing_fixtures import client_as, csrf_token
from tests.importing.test_web_import import preview_url, token_of, upload
from webapp.domain.audit import ChangeFilter
from webapp.domain.errors import ConfigError
from webapp.domain.filters import ParcelFilter

EFFECT = re.compile(r'id="import-effect" data-new="(\d+)" data-changed="(\d+)" '
                    r'data-unchanged="(\d+)" data-removed="(\d+)"')


def effect_of(html: str) -> tuple[int, ...]:
    return tuple(int(n) for n in EFFECT.search(html).groups())


def page(client, url, **query):
    """GET a preview URL (which may carry options already) with more query values."""
    path, _, known = url.partition("?")
    pairs = dict(part.split("=", 1) for part in known.split("&") if part)
    return client.get(path, query_string={**pairs, **query})


def confirm(client, token, **form):
    return client.post(f"/imports/{token}/confirm", query_string={"lang": "en"}, data={
        "csrf_token": csrf_token(client, "/imports/"), "mode": "replace", **form})


@pytest.fixture
def next_month(tmp_path):
    """small.geojson with T-002 sold, T-003 and T-004 left out and T-009 added."""
    data = json.loads((DATA / "small.geojson").read_text())
    first, second, _third, fourth = data["features"]
    second["properties"]["status"] = "sold"
    fourth["properties"]["code"] = "T-009"
    data["features"] = [first, second, fourth]
    path = tmp_path / "二月地块.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def codes(store):
    return sorted(p.code for p in store.query(ParcelFilter(include_drafts=True)).parcels)


@pytest.mark.parametrize(("mode", "removed"), [("upsert", 0), ("replace", 2)])
def test_preview_counts_new_changed_unchanged_removed(admin_client, next_month, mode, removed):
    html = admin_client.get(preview_url(upload(admin_client, next_month, mode=mode))
                            ).get_data(as_text=True)
    assert effect_of(html) == (1, 1, 1, removed)


def test_preview_of_replace_names_the_parcels_deleted(admin_client, next_month):
    html = page(admin_client, preview_url(upload(admin_client, next_month, mode="replace")),
                lang="en").get_data(as_text=True)
    assert "deletes 2 stored parcels that are not in this file" in html
    assert 'name="confirm_removed" id="confirm-removed" value="2" required' in html
    assert "Yes, delete 2 parcels" in html


def test_preview_of_upsert_keeps_what_the_file_lacks(admin_client, next_month):
    html = admin_client.get(preview_url(upload(admin_client, next_month)),
                            query_string={"lang": "en"}).get_data(as_text=True)
    assert "2 stored parcels are not in this file" in html and "confirm_removed" not in html


@pytest.mark.parametrize("confirmation", [None, "", "3", "delete", "20"])
def test_replace_without_naming_the_number_is_400_and_writes_nothing(
        admin_client, staff_store, next_month, confirmation):
    token = token_of(preview_url(upload(admin_client, next_month, mode="replace")))
    form = {} if confirmation is None else {"confirm_removed": confirmation}
    response = confirm(admin_client, token, **form)
    assert response.status_code == 400
    assert "deletes 2 stored parcels; confirm that number" in response.get_data(as_text=True)
    assert codes(staff_store) == ["T-001", "T-002", "T-003", "T-004"]
    assert staff_store.get("T-002").status != "sold"


def test_replace_confirmed_deletes_and_records_history(admin_client, staff_store, next_month):
    token = token_of(preview_url(upload(admin_client, next_month, mode="replace")))
    assert confirm(admin_client, token, confirm_removed="2").status_code == 302
    assert codes(staff_store) == ["T-001", "T-002", "T-009"]
    changes = staff_store.changes(ChangeFilter(source="import"), limit=50).changes
    lifecycle = sorted((c.field, c.parcel_code, c.new_value, c.actor) for c in changes
                       if c.field in ("created", "removed"))
    assert lifecycle == [("created", "T-009", next_month.name, "ada"),
                         ("removed", "T-003", next_month.name, "ada"),
                         ("removed", "T-004", next_month.name, "ada")]


def test_change_log_shows_removed_parcels(admin_client, staff_store, next_month):
    token = token_of(preview_url(upload(admin_client, next_month, mode="replace")))
    confirm(admin_client, token, confirm_removed="2")
    html = admin_client.get("/admin/changes", query_string={"parcel": "T-003", "lang": "en"}
                            ).get_data(as_text=True)
    assert "Parcel removed by an import (file)" in html and next_month.name in html


def test_replace_of_the_same_parcels_needs_no_second_confirmation(admin_client, staff_store):
    token = token_of(preview_url(upload(admin_client, DATA / "small.geojson", mode="replace")))
    assert confirm(admin_client, token).status_code == 302


@pytest.mark.parametrize("step", ["upload", "preview", "confirm"])
def test_replace_by_an_editor_is_403(staff_app, editor_client, staff_store, next_month, step):
    if step == "upload":
        response = upload(editor_client, next_month, mode="replace")
    else:
        url = preview_url(upload(editor_client, next_month))
        response = (page(editor_client, url, mode="replace", lang="en")
                    if step == "preview" else
                    confirm(editor_client, token_of(url), confirm_removed="2"))
    assert response.status_code == 403
    assert "Replacing all parcels needs the role" in response.get_data(as_text=True) \
        or step == "upload"
    assert codes(staff_store) == ["T-001", "T-002", "T-003", "T-004"]


@pytest.mark.parametrize(("role", "offered"), [("editor", False), ("admin", True)])
def test_replace_is_offered_only_to_the_replace_role(staff_app, role, offered):
    html = client_as(staff_app, role).get("/imports/").get_data(as_text=True)
    assert ('value="replace"' in html) is offered
    assert ('id="replace-mode-warning"' in html) is offered


def test_replace_role_is_a_setting(staff_app, editor_client, next_month):
    staff_app.config["IMPORT_REPLACE_ROLE"] = "editor"
    assert 'value="replace"' in editor_client.get("/imports/").get_data(as_text=True)
    token = token_of(preview_url(upload(editor_client, next_month, mode="replace")))
    assert confirm(editor_client, token, confirm_removed="2").status_code == 302


def test_replace_role_must_be_a_role(tmp_path):
    from webapp import create_app

    with pytest.raises(ConfigError, match="IMPORT_REPLACE_ROLE"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "IMPORT_REPLACE_ROLE": "root",
                    "STORE_URL": str(tmp_path / "s.gpkg"), "AUTO_INIT": False})


def test_preview_shows_bow_tie_area_before_and_after(editor_client, messy_geojson):
    html = editor_client.get(preview_url(upload(editor_client, messy_geojson)),
                             query_string={"lang": "en"}).get_data(as_text=True)
    row = re.search(r'<tr class="lost-area" data-code="T-BOW" data-kept="([\d.]+)">', html)
    assert row and float(row.group(1)) == pytest.approx(50, abs=0.5)
    assert "m²" in html and "mu" in html


def test_preview_map_draws_incoming_parcels_with_repaired_flag(editor_client, messy_geojson):
    html = editor_client.get(preview_url(upload(editor_client, messy_geojson))
                             ).get_data(as_text=True)
    island = re.search(r'<script type="application/json" id="map_incoming-parcels">(.*?)</script>',
                       html, re.S)
    features = json.loads(island.group(1))["data"]["features"]
    assert {(f["properties"]["code"], f["properties"]["r"]) for f in features} == {
        ("T-001", False), ("T-BOW", True)}
    assert "/static/landgis/import-map.js" in html and 'id="map-limited"' not in html
