"""Saved import profiles on the web: saved from an upload's mapping, offered (pre-selected) when
a file of the same layout arrives, picked, updated, renamed (409 when stale), deleted by admins
only, downloaded as a mapping file; hostile names stay text."""

import json

import pytest

from tests.editing_fixtures import client_as, csrf_token
from tests.hostile import EVALUATED_MARKERS, HOSTILE
from tests.importing.mapping_files import write_vocabulary_file
from tests.importing.test_web_mapping import post_mapping, uploaded

MAPPED = {"field-0": "code", "field-1": "land_use", "field-2": "status",
          "others-land_use": "0701"}


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/imports/"), **data})


@pytest.fixture
def saved(editor_client, staff_store, tmp_path):
    """A profile saved from a mapped upload of the vocabulary file."""
    token = uploaded(editor_client, write_vocabulary_file(tmp_path))
    assert post_mapping(editor_client, token, **MAPPED).status_code == 302
    response = post(editor_client, f"/imports/{token}/profile/save", name="自然资源局 monthly")
    assert response.status_code == 302, response.get_data(as_text=True)
    [profile] = staff_store.import_profiles.profiles()
    return profile


def test_profile_saved_with_layout_and_mapping(saved):
    assert saved.signature == ("宗地编号", "状态", "用地性質")
    assert saved.mapping["others"] == {"land_use": "0701"}
    assert saved.created_by == "eddie"


def test_profile_offered_on_next_upload_of_the_layout(editor_client, saved, tmp_path):
    folder = tmp_path / "next"
    folder.mkdir()
    token = uploaded(editor_client, write_vocabulary_file(folder, name="next-month.geojson"))
    html = editor_client.get(f"/imports/{token}", query_string={"lang": "en"}).get_data(
        as_text=True)
    assert "“自然资源局 monthly” matches this file's fields and was applied" in html
    assert f'<option value="{saved.id}" selected>' in html
    assert 'data-accepted="5"' in html


def test_profile_not_offered_for_another_layout(editor_client, saved, messy_geojson):
    token = uploaded(editor_client, messy_geojson)
    html = editor_client.get(f"/imports/{token}", query_string={"lang": "en"}).get_data(
        as_text=True)
    assert "No saved profile in use" in html and 'value="none" selected' in html


def test_profile_can_be_unpicked(editor_client, saved, tmp_path):
    token = uploaded(editor_client, write_vocabulary_file(tmp_path, name="again.geojson"))
    assert post(editor_client, f"/imports/{token}/profile", profile_id="none").status_code == 302
    html = editor_client.get(f"/imports/{token}", query_string={"lang": "en"}).get_data(
        as_text=True)
    assert "No saved profile in use" in html and 'data-accepted="0"' in html


@pytest.mark.parametrize(("profile_id", "status"), [("abc", 400), ("0", 400), ("", 400),
                                                    ("99999", 404)])
def test_profile_bad_choice(editor_client, saved, tmp_path, profile_id, status):
    token = uploaded(editor_client, write_vocabulary_file(tmp_path, name="x.geojson"))
    assert post(editor_client, f"/imports/{token}/profile",
                profile_id=profile_id).status_code == status


def test_profile_duplicate_name_is_409(editor_client, saved, tmp_path):
    token = uploaded(editor_client, write_vocabulary_file(tmp_path, name="dup.geojson"))
    assert post(editor_client, f"/imports/{token}/profile/save",
                name="自然资源局 monthly").status_code == 409


def test_profile_update_from_upload_and_stale_update_409(editor_client, staff_store, saved,
                                                         tmp_path):
    token = uploaded(editor_client, write_vocabulary_file(tmp_path, name="upd.geojson"))
    post_mapping(editor_client, token, **{**MAPPED, "others-land_use": "0901"})
    assert post(editor_client, f"/imports/{token}/profile/save", update="1",
                version="1").status_code == 302
    assert staff_store.import_profiles.get(saved.id).mapping["others"] == {"land_use": "0901"}
    assert post(editor_client, f"/imports/{token}/profile/save", update="1",
                version="1").status_code == 409


def test_profile_rename_and_stale_rename_409(editor_client, staff_store, saved):
    url = f"/imports/profiles/{saved.id}/rename"
    assert post(editor_client, url, name="月报", version="1").status_code == 302
    assert staff_store.import_profiles.get(saved.id).name == "月报"
    assert post(editor_client, url, name="late", version="1").status_code == 409


def test_profile_delete_needs_admin(staff_app, editor_client, staff_store, saved):
    url = f"/imports/profiles/{saved.id}/delete"
    assert post(editor_client, url, version="1").status_code == 403
    admin = client_as(staff_app, "admin")
    assert post(admin, url, version="1").status_code == 302
    assert staff_store.import_profiles.profiles() == []


def test_profile_download_is_a_mapping_file(editor_client, saved):
    response = editor_client.get(f"/imports/profiles/{saved.id}/mapping.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["name"] == "自然资源局 monthly" and data["fields"]["用地性質"] == "land_use"


@pytest.mark.parametrize("url", ["/imports/profiles", "/imports/profiles/1/mapping.json"])
def test_profile_pages_need_staff(staff_app, saved, url):
    assert client_as(staff_app, None).get(url).status_code in (302, 401)
    assert client_as(staff_app, "viewer").get(url).status_code == 403


def test_profile_list_shows_hostile_names_as_text(editor_client, staff_store):
    for key, text in HOSTILE.items():
        name = text[:100] if "\x01" not in text else key
        staff_store.import_profiles.add(name, [text[:50], "名称"], {}, "eddie")
    html = editor_client.get("/imports/profiles").get_data(as_text=True)
    assert not any(marker in html for marker in EVALUATED_MARKERS)
    assert "<script>window.__pwned" not in html and "<img src=x" not in html


@pytest.mark.parametrize(("form", "status"), [({"name": "", "version": "1"}, 400),
                                              ({"name": "x" * 101, "version": "1"}, 400),
                                              ({"name": "ok", "version": "one"}, 400),
                                              ({"name": "ok", "version": "1"}, 404)])
def test_profile_rename_bad_input(editor_client, form, status):
    assert post(editor_client, "/imports/profiles/424242/rename", **form).status_code == status
