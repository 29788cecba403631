"""The hostile corpus written by staff through the edit form and PATCH into every text field.

Each value (cut to the field's length limit) reads back identical from the API and shows as text
on the parcel page, its history, the change log, the staff list and the API's HTML pages.
"""

import json

import pytest

from tests.editing_fixtures import edit_form
from tests.hostile import HOSTILE, hostile_items
from tests.http.pages import assert_inert, islands, shows_as_text
from webapp.domain.edits import TEXT_LIMITS

ITEM = "/api/collections/parcels/items/{}"
TEXT_FIELDS = tuple(TEXT_LIMITS)  # code, name, street, location, contact, note


def values_for(text: str) -> dict[str, str]:
    """The text in every text field, cut to each field's limit (stripped as the form strips)."""
    return {field: text[:limit].strip() for field, limit in TEXT_LIMITS.items()}


def write_by_form(client, parcel_id: int, values: dict[str, str]):
    form = {**edit_form(client, parcel_id), **values}
    return client.post(f"/admin/parcels/{parcel_id}/edit?lang=en", data=form)


def write_by_patch(client, parcel_id: int, values: dict[str, str]):
    from tests.editing_fixtures import csrf_token

    url = ITEM.format(parcel_id)
    return client.patch(url + "?lang=en", data=json.dumps(values), headers={
        "Content-Type": "application/json", "If-Match": client.get(url).headers["ETag"],
        "X-CSRFToken": csrf_token(client, "/admin/parcels")})


WRITERS = {"form": (write_by_form, 302), "patch": (write_by_patch, 200)}


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    assert_inert(html)
    return html


@pytest.fixture(params=list(WRITERS))
def written(request, editor_client, staff_store):
    """write(text): the text written into every text field of T-001; returns (id, values)."""
    writer, status = WRITERS[request.param]

    def write(text: str) -> tuple[int, dict[str, str]]:
        parcel_id = staff_store.get("T-001").id
        values = values_for(text)
        response = writer(editor_client, parcel_id, values)
        assert response.status_code == status, response.get_data(as_text=True)[-1500:]
        return parcel_id, values

    return write


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_edit_reads_back_identical_from_api(written, editor_client, key, text):
    parcel_id, values = written(text)
    properties = editor_client.get(ITEM.format(parcel_id)).json["properties"]
    assert {field: properties[field] for field in values} == values


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_edit_shows_as_text_on_pages(written, editor_client, staff_app, key, text):
    parcel_id, values = written(text)
    for client in (editor_client, staff_app.test_client()):  # staff, then a visitor
        html = page(client, f"/parcels/{parcel_id}")
        assert all(shows_as_text(html, value) for value in values.values())
        features = islands(html)["map_parcel-parcels"]["data"]["features"]
        assert features[0]["properties"]["street"] == values["street"]
        features = islands(page(client, "/?lang=en"))["map_parcels-parcels"]["data"]["features"]
        assert [f["properties"]["name"] for f in features if f["id"] == parcel_id] == [
            values["name"]]
    for path in ("/admin/changes", "/admin/parcels", f"/admin/parcels/{parcel_id}/edit",
                 f"{ITEM.format(parcel_id)}?f=html", "/?lang=en"):
        assert shows_as_text(page(editor_client, path), values["name"]), path
