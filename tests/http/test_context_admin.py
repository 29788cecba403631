"""The staff page of the context layers: who may use it, CSRF, upload (new, replace, bad file),
delete with confirmation, and hostile text shown as text."""

import re

import geopandas as gpd
import pytest
import shapely

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, csrf_token
from tests.hostile import HOSTILE, hostile_items
from tests.http.pages import assert_inert, shows_as_text
from tests.importing.context_files import roads_geojson, write_geojson
from webapp.domain.context import ContextLayer

PAGE = "/admin/context"


def upload(client, path, **fields):
    data = {"csrf_token": csrf_token(client, PAGE), "name": "roads", "title": "主干道路",
            "kind": "road", **fields}
    with path.open("rb") as f:
        data["file"] = (f, path.name)
        return client.post(PAGE + "?lang=en", data=data, content_type="multipart/form-data")


def three_roads(folder):
    lines = [shapely.LineString([(118.50 + i / 100, 31.69), (118.50 + i / 100, 31.72)])
             for i in range(3)]
    return write_geojson(folder / "three.geojson", [({"name": f"路{i}"}, line)
                                                    for i, line in enumerate(lines)])


def error_text(response) -> str:
    return re.search(r'id="context-error">([^<]*)<', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("viewer", 403), ("editor", 200),
                                              ("admin", 200)])
def test_context_page_needs_editor_role(staff_app, role, status):
    assert client_as(staff_app, role).get(PAGE).status_code == status


def test_context_upload_needs_editor_role(staff_app, tmp_path):
    viewer = client_as(staff_app, "viewer")
    response = viewer.post(PAGE, data={"csrf_token": csrf_token(viewer, "/admin/parcels")})
    assert response.status_code == 403


def test_staff_bar_links_the_context_page(editor_client):
    assert f'href="{PAGE}"' in editor_client.get("/admin/parcels").get_data(as_text=True)


def test_context_page_offers_kinds_in_chinese(editor_client):
    html = editor_client.get(PAGE + "?lang=zh").get_data(as_text=True)
    assert '<option value="interchange">高速互通</option>' in html


def test_context_page_offers_kinds_in_english(editor_client):
    html = editor_client.get(PAGE + "?lang=en").get_data(as_text=True)
    assert '<option value="interchange">Interchange</option>' in html


def test_context_upload_without_csrf_is_400(editor_client, staff_store, tmp_path):
    with roads_geojson(tmp_path).open("rb") as f:
        response = editor_client.post(PAGE, data={"name": "roads", "title": "道路", "kind": "road",
                                                  "file": (f, "roads.geojson")},
                                      content_type="multipart/form-data")
    assert response.status_code == 400 and staff_store.context.layers() == []


def test_context_upload_writes_the_layer_and_shows_the_report(editor_client, staff_store,
                                                              tmp_path):
    response = upload(editor_client, roads_geojson(tmp_path))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-accepted="2"' in html
    layer = staff_store.context.layer("roads")
    assert (layer.feature_count, layer.imported_by, layer.title) == (2, "eddie", "主干道路")


def test_context_upload_lists_the_layer(editor_client, tmp_path):
    upload(editor_client, roads_geojson(tmp_path))
    html = editor_client.get(PAGE).get_data(as_text=True)
    row = re.search(r'<tr data-name="roads">(.*?)</tr>', html, re.S).group(1)
    assert "主干道路" in row and "<td class=\"nowrap\">2</td>" in row and "eddie" in row


@pytest.mark.parametrize(("fixture", "message"), [
    ("renamed_png", "this is a PNG image, not a parcel file"),
    ("traversal_zip", "points outside the archive"),
    ("point_file", "holds no line layer (its layers hold Point)"),
])
def test_context_upload_bad_file_is_400_with_the_reason(request, editor_client, staff_store,
                                                        fixture, message):
    response = upload(editor_client, request.getfixturevalue(fixture))
    assert response.status_code == 400 and message in error_text(response)
    assert staff_store.context.layers() == []


@pytest.fixture
def point_file(tmp_path):
    return write_geojson(tmp_path / "points.geojson", [({"name": "站"},
                                                        shapely.Point(118.5, 31.7))])


def test_context_upload_without_file_is_400(editor_client):
    response = editor_client.post(PAGE, data={"csrf_token": csrf_token(editor_client, PAGE),
                                              "name": "roads", "title": "道路", "kind": "road"})
    assert response.status_code == 400


@pytest.mark.parametrize(("fields", "problem"), [
    ({"name": "Roads"}, "name-error"),
    ({"name": "parcels"}, "name-error"),
    ({"title": ""}, "title-error"),
    ({"kind": "volcano"}, "kind-error"),
])
def test_context_upload_bad_field_is_422_with_its_error(editor_client, staff_store, tmp_path,
                                                        fields, problem):
    response = upload(editor_client, roads_geojson(tmp_path), **fields)
    assert response.status_code == 422 and f'id="{problem}"' in response.get_data(as_text=True)
    assert staff_store.context.layers() == []


def test_context_upload_over_an_existing_layer_needs_replace(editor_client, staff_store,
                                                             tmp_path):
    upload(editor_client, roads_geojson(tmp_path))
    response = upload(editor_client, three_roads(tmp_path))
    assert response.status_code == 400 and "exists already" in error_text(response)
    assert staff_store.context.layer("roads").feature_count == 2


def test_context_upload_with_replace_replaces_the_features(editor_client, staff_store,
                                                           tmp_path):
    upload(editor_client, roads_geojson(tmp_path))
    assert upload(editor_client, three_roads(tmp_path), replace="1").status_code == 200
    assert staff_store.context.layer("roads").feature_count == 3


def test_context_replace_keeps_old_features_when_the_new_file_fails(editor_client, staff_store,
                                                                    tmp_path, renamed_png):
    upload(editor_client, roads_geojson(tmp_path))
    response = upload(editor_client, renamed_png, replace="1")
    assert response.status_code == 400
    page = staff_store.context.features("roads")
    assert [f.name for f in page.features] == ["205国道", "湖西路"]


def test_context_replace_link_prefills_the_form(editor_client, tmp_path):
    upload(editor_client, roads_geojson(tmp_path))
    html = editor_client.get(PAGE + "?replace=roads").get_data(as_text=True)
    assert 'name="name" id="c-name" value="roads"' in html
    assert 'name="replace" value="1" checked' in html


def test_context_upload_too_large_is_413(staff_app, editor_client, tmp_path):
    staff_app.config["MAX_CONTENT_LENGTH"] = 1000
    path = tmp_path / "big.geojson"
    path.write_bytes(b"{" + b" " * 5000 + b"}")
    assert upload(editor_client, path).status_code == 413


def test_context_delete_asks_first(editor_client, staff_store, tmp_path):
    upload(editor_client, roads_geojson(tmp_path))
    html = editor_client.get(f"{PAGE}/roads/delete?lang=en").get_data(as_text=True)
    assert "and its 2 features? This cannot be undone." in html
    assert staff_store.context.layer("roads") is not None


def test_context_delete_removes_the_layer(editor_client, staff_store, tmp_path):
    upload(editor_client, roads_geojson(tmp_path))
    response = editor_client.post(f"{PAGE}/roads/delete",
                                  data={"csrf_token": csrf_token(editor_client, PAGE)})
    assert response.status_code == 302 and staff_store.context.layer("roads") is None


def test_context_delete_without_csrf_is_400(editor_client, staff_store, tmp_path):
    upload(editor_client, roads_geojson(tmp_path))
    assert editor_client.post(f"{PAGE}/roads/delete").status_code == 400
    assert staff_store.context.layer("roads") is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_context_delete_unknown_layer_is_404(editor_client, method):
    data = {"csrf_token": csrf_token(editor_client, PAGE)} if method == "post" else None
    assert getattr(editor_client, method)(f"{PAGE}/nope/delete", data=data).status_code == 404


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    """The context page of a store holding one layer per corpus string (in its title, source
    and importing account)."""
    app = make_app(tmp_path_factory.mktemp("hostile_context"), DATA / "small.geojson")
    add_staff(app)
    store = app.extensions["landgis.store"]
    features = gpd.GeoDataFrame({"name": ["路"], "feature_class": [None]},
                                geometry=[shapely.LineString([(118.5, 31.7), (118.6, 31.7)])],
                                crs=4326)
    for index, text in enumerate(HOSTILE.values()):
        layer = ContextLayer(name=f"h-{index:02d}", title=text[:80], kind="road", source=text)
        store.context.replace_layer(layer, features, text[:200])
    return client_as(app, "editor").get(PAGE + "?lang=en").get_data(as_text=True)


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_context_page_shows_hostile_titles_as_text(hostile_page, key, text):
    assert_inert(hostile_page)
    assert shows_as_text(hostile_page, text[:80]) and shows_as_text(hostile_page, text)


@pytest.fixture(scope="module")
def refusing_client(tmp_path_factory):
    """An editor's client of one app for uploads that are all refused (nothing is written)."""
    app = make_app(tmp_path_factory.mktemp("refusals"), DATA / "small.geojson")
    add_staff(app)
    return client_as(app, "editor")


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_context_upload_echoes_hostile_fields_as_text(refusing_client, tmp_path, key, text):
    response = upload(refusing_client, roads_geojson(tmp_path), name=text, title=text[:80])
    html = response.get_data(as_text=True)
    assert_inert(html)
    if len(text) <= 200:  # refused by the layer-name rule, shown again in the form
        assert response.status_code == 422 and shows_as_text(html, text)
    else:  # longer than any form field may be
        assert response.status_code == 400
