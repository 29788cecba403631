"""The web import's mapping step: each field with samples and its target, unknown values with
their counts, re-validating with the mapping kept beside the upload (never in the URL), then
importing with it; bad input is a 400 on the page, and only the uploader reaches the upload."""

import io
import json
import re

import pytest

from tests.editing_fixtures import client_as, csrf_token
from tests.hostile import EVALUATED_MARKERS, HOSTILE
from tests.importing.mapping_files import write_vocabulary_file
from tests.importing.test_web_import import preview_url, token_of, upload


def uploaded(client, path) -> str:
    """The token of an uploaded file."""
    return token_of(preview_url(upload(client, path)))


def mapping_html(client, token: str) -> str:
    response = client.get(f"/imports/{token}/mapping", query_string={"lang": "en"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def post_mapping(client, token: str, **fields):
    data = {"csrf_token": csrf_token(client, "/imports/"), **fields}
    return client.post(f"/imports/{token}/mapping", data=data, query_string={"lang": "en"})


def land_use_rows(html: str) -> dict[str, str]:
    """Source value -> the name of its land-use input on the mapping page."""
    return dict(re.findall(r'class="source-value">([^<]*)</span>.*?name="(value-land_use-\d+)"',
                           html, re.S))


@pytest.fixture
def vocabulary_file(tmp_path):
    return write_vocabulary_file(tmp_path)


@pytest.fixture
def mapped_token(editor_client, vocabulary_file):
    """An upload whose 用地性質 field is mapped to land_use (its values still unknown)."""
    token = uploaded(editor_client, vocabulary_file)
    assert post_mapping(editor_client, token, **{"field-0": "code", "field-1": "land_use",
                                                 "field-2": "status"}).status_code == 302
    return token


def test_mapping_page_shows_fields_with_samples(editor_client, vocabulary_file):
    html = mapping_html(editor_client, uploaded(editor_client, vocabulary_file))
    assert '<span class="source-name">用地性質</span>' in html
    assert "<q>住宅區</q>, <q>商業區</q>, <q>R-1</q>" in html
    assert re.search(r'name="field-0".*?<option value="code" selected>', html, re.S)


def test_mapping_page_lists_unknown_values_with_counts(editor_client, mapped_token):
    html = mapping_html(editor_client, mapped_token)
    assert list(land_use_rows(html)) == ["住宅區", "R-1", "商業區"]  # most frequent first
    assert "3 rows, not recognised" in html and 'list="land-use-codes"' in html
    assert '<option value="0701" label="0701' in html  # codes searchable by code and names
    preview = editor_client.get(f"/imports/{mapped_token}", query_string={"lang": "en"})
    assert "Land use: 3 values not recognised (5 rows)" in preview.get_data(as_text=True)


def test_mapping_revalidate_then_import_stores_mapped_codes(editor_client, staff_store,
                                                           mapped_token):
    rows = land_use_rows(mapping_html(editor_client, mapped_token))
    response = post_mapping(editor_client, mapped_token, **{
        "field-0": "code", "field-1": "land_use", "field-2": "status",
        rows["住宅區"]: "0701", rows["商業區"]: "0901", rows["R-1"]: "0701"})
    assert response.status_code == 302 and "mapping" not in response.headers["Location"]
    preview = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-accepted="5"' in preview
    confirmed = editor_client.post(f"/imports/{mapped_token}/confirm", data={
        "csrf_token": csrf_token(editor_client, "/imports/"), "mode": "upsert"})
    assert confirmed.status_code == 302
    assert [staff_store.get(f"M-00{i}").land_use for i in range(1, 6)] == [
        "0701", "0701", "0701", "0901", "0701"]


def test_mapping_others_and_defaults_apply(editor_client, mapped_token):
    response = post_mapping(editor_client, mapped_token, **{
        "field-0": "code", "field-1": "land_use", "field-2": "ignore",
        "others-land_use": "1209", "defaults-target-0": "status",
        "defaults-value-0": "reserve"})
    assert response.status_code == 302
    preview = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-accepted="5"' in preview


def test_mapping_report_csv_uses_the_kept_mapping(editor_client, mapped_token):
    post_mapping(editor_client, mapped_token, **{"field-0": "code", "field-1": "land_use",
                                                 "field-2": "status",
                                                 "others-land_use": "0701"})
    csv_text = editor_client.get(f"/imports/{mapped_token}/report.csv").get_data(as_text=True)
    assert "rejected" not in csv_text


@pytest.mark.parametrize(("fields", "message"), [
    ({"field-0": "code", "field-1": "land_use", "others-land_use": "9999"}, "not a valid"),
    ({"field-0": "code", "field-1": "code"}, "both map to code"),
    ({"field-0": "nonsense"}, "unknown target field"),
    ({"field-0": "code", "defaults-target-0": "geometry", "defaults-value-0": "x"},
     "unknown target field"),
    ({"field-0": "code", "others-land_use": "x" * 201}, "longer than 200"),
])
def test_mapping_bad_form_is_400_on_the_page(editor_client, mapped_token, fields, message):
    response = post_mapping(editor_client, mapped_token, **fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="mapping-error"' in html and message in html


def post_mapping_file(client, token: str, content: bytes):
    return client.post(f"/imports/{token}/mapping/file", data={
        "csrf_token": csrf_token(client, "/imports/"),
        "mapping_file": (io.BytesIO(content), "profile.json")},
        content_type="multipart/form-data")


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00", b"[1, 2]",
                                     json.dumps({"values": {"land_use": {"a": "9999"}}}).encode(),
                                     json.dumps({"fields": {"absent": "code"}}).encode()])
def test_mapping_bad_file_is_400(editor_client, mapped_token, content):
    assert post_mapping_file(editor_client, mapped_token, content).status_code == 400


def test_mapping_file_is_applied(editor_client, vocabulary_file):
    token = uploaded(editor_client, vocabulary_file)
    content = json.dumps({"fields": {"用地性質": "land_use"}, "others": {"land_use": "0701"}},
                         ensure_ascii=False).encode()
    response = post_mapping_file(editor_client, token, content)
    assert response.status_code == 302
    assert 'data-accepted="5"' in editor_client.get(response.headers["Location"]).get_data(
        as_text=True)


@pytest.mark.parametrize(("method", "suffix"), [
    ("get", "mapping"), ("post", "mapping"), ("post", "mapping/file"), ("post", "profile"),
    ("post", "profile/save")])
def test_mapping_routes_need_an_editor(staff_app, editor_client, vocabulary_file, method,
                                       suffix):
    token = uploaded(editor_client, vocabulary_file)
    for role, status in ((None, (302, 401)), ("viewer", (403,))):
        client = client_as(staff_app, role)
        page = "/auth/login" if role is None else "/"
        data = {"csrf_token": csrf_token(client, page)} if method == "post" else None
        response = getattr(client, method)(f"/imports/{token}/{suffix}", data=data)
        assert response.status_code in status, role


def test_mapping_post_without_csrf_is_400(editor_client, mapped_token):
    response = editor_client.post(f"/imports/{mapped_token}/mapping", data={"field-0": "code"})
    assert response.status_code == 400


def test_mapping_of_another_staff_members_upload_is_404(staff_app, editor_client,
                                                        mapped_token):
    admin = client_as(staff_app, "admin")
    assert admin.get(f"/imports/{mapped_token}/mapping").status_code == 404
    response = admin.post(f"/imports/{mapped_token}/mapping", data={
        "csrf_token": csrf_token(admin, "/imports/"), "field-0": "code"})
    assert response.status_code == 404


def test_mapping_token_never_carries_the_mapping(editor_client, mapped_token):
    response = post_mapping(editor_client, mapped_token, **{
        "field-0": "code", "field-1": "land_use", "others-land_use": "0701"})
    assert "0701" not in response.headers["Location"]


def test_mapping_page_shows_hostile_values_as_text(editor_client, tmp_path):
    rows = [(f"H-{i}", text) for i, text in enumerate(HOSTILE.values())]
    rows.append(("H-nul", "a\x00b<b>"))
    token = uploaded(editor_client, write_vocabulary_file(tmp_path, rows, status="<i>x</i>"))
    post_mapping(editor_client, token, **{"field-0": "code", "field-1": "land_use"})
    html = mapping_html(editor_client, token)
    assert not any(marker in html for marker in EVALUATED_MARKERS)
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "\x00" not in html and len(html) < 400_000  # long text shortened in samples


def test_mapping_page_bounds_many_distinct_values(editor_client, tmp_path):
    rows = [(f"D-{i:05d}", f"类{i % 10_000}") for i in range(10_000)]
    token = uploaded(editor_client, write_vocabulary_file(tmp_path, rows))
    post_mapping(editor_client, token, **{"field-0": "code", "field-1": "land_use"})
    html = mapping_html(editor_client, token)
    assert len(land_use_rows(html)) == 200
    assert "9800 more unknown values are not shown" in html


def test_mapping_rescues_a_file_without_a_recognised_code_field(editor_client, tmp_path):
    token = uploaded(editor_client, write_vocabulary_file(tmp_path, code_field="地块号码X"))
    preview = editor_client.get(f"/imports/{token}", query_string={"lang": "en"})
    html = preview.get_data(as_text=True)
    assert 'id="import-error"' in html and 'id="open-mapping"' in html
    response = post_mapping(editor_client, token, **{
        "field-0": "code", "field-1": "land_use", "others-land_use": "0701"})
    assert response.status_code == 302
    assert 'data-accepted="5"' in editor_client.get(response.headers["Location"]).get_data(
        as_text=True)
