"""The investor's enquiry form: pages in zh/en, a stored enquiry and its reference, every bad
field refused with its message, drafts never revealed, the honeypot, the links to the form."""

import re

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, csrf_token
from tests.http.enquiries import GOOD, enquiry_data, send_enquiry, stored_enquiries
from tests.http.pages import inline_scripts

CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]+"')
REFERENCE = re.compile(r'<p class="reference" id="reference">(ZS-\d{8}-[A-Z2-9]{6})</p>')


@pytest.fixture
def app(tmp_path):
    """The four-parcel app; T-002 made a draft (T-003 is sold)."""
    app = make_app(tmp_path, DATA / "small.geojson", PRIVACY_CONTACT="招商中心 0555-2345678")
    store = app.extensions["landgis.store"]
    store.update_parcel(store.get("T-002").id, {"published": False}, None, "test", "form")
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def test_enquiry_form_renders_in_chinese_by_default(client):
    html = page(client, "/enquire?parcel=T-001")
    assert "我有意向" in html and "提交咨询" in html and "隐私声明" in html
    assert '<input type="hidden" name="parcel" value="T-001">' in html
    assert "金家庄街道测试工业地块" in html


def test_enquiry_form_renders_in_english_with_every_field(client):
    html = page(client, "/enquire?parcel=T-001&lang=en")
    assert "The parcel you ask about" in html and "Send the enquiry" in html
    for name in ("company", "contact_name", "phone", "email", "industry", "investment_wan",
                 "jobs", "message", "consent"):
        assert f'name="{name}"' in html, name
    assert 'href="/privacy"' in html and 'type="tel"' in html


def test_enquiry_form_is_served_without_inline_script_or_other_hosts(client):
    response = client.get("/enquire?parcel=T-001")
    html = response.get_data(as_text=True)
    assert not inline_scripts(html)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"].split(
        "script-src")[1].split(";")[0]


def main_part(html: str) -> str:
    """The page's <main> without its CSRF token (the header's language links echo the query)."""
    return CSRF_VALUE.sub("", re.split(r"<main[^>]*>", html)[1].split("</main>")[0])


def test_enquiry_form_leaves_out_unknown_and_draft_codes_alike(client):
    draft = page(client, "/enquire?parcel=T-002&lang=en")
    unknown = page(client, "/enquire?parcel=NOPE&lang=en")
    assert "塘西街道测试物流地块" not in draft and "T-002" not in main_part(draft)
    assert main_part(draft) == main_part(unknown) == main_part(page(client, "/enquire?lang=en"))


def test_enquiry_form_lists_at_most_twenty_parcels(client):
    html = page(client, "/enquire?" + "&".join(["parcel=T-001"] * 3 + ["parcel=T-004"]))
    assert html.count('name="parcel"') == 2


@pytest.mark.parametrize(("given", "kept"), [
    ("land_use=10&area_min=5", "land_use=10&amp;area_min=5"),
    ("?land_use=10,06", "land_use=10&amp;land_use=06"),
])
def test_enquiry_form_keeps_the_site_selection_requirement(client, given, kept):
    from urllib.parse import quote

    html = page(client, f"/enquire?parcel=T-001&requirement={quote(given)}")
    assert f'name="requirement" value="{kept}"' in html
    assert f'href="/select?{kept}"' in html


@pytest.mark.parametrize("given", ["land_use=nope", "area_min=-1", "near=nowhere:5",
                                   "x" * 3000])
def test_enquiry_form_leaves_out_a_bad_requirement(client, given):
    assert 'name="requirement"' not in page(client, f"/enquire?requirement={given}")


def test_enquiry_valid_is_stored_and_the_sent_page_shows_its_reference(app, client):
    response = send_enquiry(client, parcels=("T-001", "T-004"))
    assert response.status_code == 303 and response.headers["Location"] == "/enquire/sent"
    [enquiry] = stored_enquiries(app)
    assert (enquiry.parcel_codes, enquiry.company, enquiry.contact_name, enquiry.phone,
            enquiry.email, enquiry.industry, enquiry.investment_wan, enquiry.jobs,
            enquiry.message, enquiry.language, enquiry.status) == (
        ("T-001", "T-004"), GOOD["company"], GOOD["contact_name"], "13812345678",
        "wang@example.com", "intelligent_equipment", 20000.0, 150, GOOD["message"], "en", "new")
    assert enquiry.consent_at and enquiry.requirement is None
    html = page(client, "/enquire/sent?lang=en")
    assert REFERENCE.search(html).group(1) == enquiry.reference
    assert "What happens next" in html and GOOD["company"] in html and "T-004" in html


def test_enquiry_reference_is_not_in_any_url(app, client):
    response = send_enquiry(client)
    reference = stored_enquiries(app)[0].reference
    assert reference not in response.headers["Location"]
    assert reference in page(client, "/enquire/sent")


def test_enquiry_sent_page_in_chinese(app, client):
    send_enquiry(client, lang="zh")
    html = page(client, "/enquire/sent?lang=zh")
    assert "参考编号" in html and stored_enquiries(app)[0].language == "zh"


def test_enquiry_sent_page_without_an_enquiry_leads_to_the_form(client):
    response = client.get("/enquire/sent")
    assert response.status_code == 303 and response.headers["Location"] == "/enquire"


def test_enquiry_keeps_the_requirement_it_came_with(app, client):
    send_enquiry(client, requirement="land_use=10&area_min=5")
    assert stored_enquiries(app)[0].requirement == "land_use=10&area_min=5"


def test_enquiry_general_enquiry_without_parcels_is_stored(app, client):
    assert send_enquiry(client, parcels=()).status_code == 303
    assert stored_enquiries(app)[0].parcel_codes == ()


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"phone": "12345"}, "phone", "is not a phone number"),
    ({"phone": "", "email": ""}, "phone", "Give a phone number or an e-mail address"),
    ({"email": "wang@"}, "email", "is not an e-mail address"),
    ({"consent": ""}, "consent", "Please agree to the privacy notice"),
    ({"contact_name": ""}, "contact_name", "Please tell us whom to contact."),
    ({"message": "长" * 2001}, "message", "is longer than 2000 characters"),
    ({"company": "公" * 201}, "company", "is longer than 200 characters"),
    ({"investment_wan": "-100"}, "investment_wan", "must be 0 or more"),
    ({"jobs": "many"}, "jobs", "must be a whole number"),
    ({"industry": "mining"}, "industry", "is not one of the listed industries"),
])
def test_enquiry_bad_field_re_renders_the_form_with_its_message(app, client, fields, field,
                                                                  message):
    response = send_enquiry(client, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert f'id="f-{field}" name="{field}" aria-invalid="true"' in html \
        or (field == "industry" and 'aria-invalid="true"' in html)
    assert 'value="马鞍山智造有限公司"' in html or field == "company"  # the input is kept
    assert stored_enquiries(app) == []


def test_enquiry_bad_field_message_in_chinese(app, client):
    html = send_enquiry(client, lang="zh", phone="12345").get_data(as_text=True)
    assert "不是有效的电话号码" in html and stored_enquiries(app) == []


@pytest.mark.parametrize("codes", [("T-001", "T-002"), ("T-001", "NOPE")])
def test_enquiry_unknown_or_draft_code_is_refused_alike(app, client, codes):
    response = send_enquiry(client, parcels=codes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "is not on offer (any more)" in html
    assert "T-002" not in html and "塘西街道测试物流地块" not in html
    assert '<input type="hidden" name="parcel" value="T-001">' in html
    assert stored_enquiries(app) == []


def test_enquiry_about_more_than_twenty_parcels_is_refused(app, client):
    response = send_enquiry(client, parcels=[f"T-{n:03d}" for n in range(21)])
    assert response.status_code == 422 and "at most 20 parcels" in response.get_data(
        as_text=True)
    assert stored_enquiries(app) == []


def test_enquiry_without_csrf_token_is_refused(app, client):
    data = {**enquiry_data(client), "csrf_token": "forged"}
    assert client.post("/enquire", data=data).status_code == 400
    assert stored_enquiries(app) == []


def test_enquiry_honeypot_answers_like_success_and_stores_nothing(app, client):
    response = send_enquiry(client, website="http://cheap-pills.example")
    assert response.status_code == 303 and response.headers["Location"] == "/enquire/sent"
    assert REFERENCE.search(page(client, "/enquire/sent"))
    assert stored_enquiries(app) == []


def test_enquiry_honeypot_is_hidden_from_people_and_screen_readers(client):
    html = page(client, "/enquire")
    trap = re.search(r'<div class="trap" aria-hidden="true">(.*?)</div>', html, re.S).group(1)
    assert 'name="website"' in trap and 'tabindex="-1"' in trap


@pytest.mark.parametrize(("lang", "text"), [("zh", "个人信息保护法"),
                                            ("en", "Personal Information Protection Law")])
def test_privacy_notice_in_both_languages_names_the_contact(client, lang, text):
    html = page(client, f"/privacy?lang={lang}")
    assert text in html and "招商中心 0555-2345678" in html


def test_privacy_notice_without_a_contact_says_whom_to_ask(tmp_path):
    html = page(make_app(tmp_path, DATA / "small.geojson").test_client(), "/privacy?lang=en")
    assert "quoting the reference number" in html


def test_parcel_page_offers_the_enquiry_form(client):
    html = page(client, "/parcels/T-001?lang=en")
    assert '<a class="button primary" id="enquire-button" href="/enquire?parcel=T-001">' \
           "I'm interested</a>" in html
    assert 'id="enquire-button"' in page(client, "/parcels/T-004")


def test_parcel_page_of_a_sold_or_draft_parcel_has_no_enquiry_button(app):
    assert 'id="enquire-button"' not in page(app.test_client(), "/parcels/T-003")
    add_staff(app)
    assert 'id="enquire-button"' not in page(client_as(app, "viewer"), "/parcels/T-002")


def test_select_shortlist_links_to_an_enquiry_about_its_parcels(client):
    html = page(client, "/select?land_use=10&lang=en")
    link = re.search(r'id="enquire-shortlist" href="([^"]+)"', html).group(1)
    assert link == "/enquire?parcel=T-001&amp;requirement=land_use%3D10"
    form = page(client, link.replace("&amp;", "&"))
    assert '<input type="hidden" name="parcel" value="T-001">' in form
    assert 'name="requirement" value="land_use=10"' in form


def test_enquiry_rate_limit_counts_enquiries_per_address(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", RATELIMIT_ENABLED=True, RATE_LIMIT_API="",
                   RATE_LIMIT_EXPORT="", RATE_LIMIT_ENQUIRY="2/hour")
    client = app.test_client()
    assert send_enquiry(client, phone="1").status_code == 422  # refused ones are not counted
    assert [send_enquiry(client).status_code for _ in range(2)] == [303, 303]
    refused = send_enquiry(client, lang="en")
    assert refused.status_code == 429 and 3500 <= int(refused.headers["Retry-After"]) <= 3601
    assert "Too many requests from your address" in refused.get_data(as_text=True)
    other = app.test_client()
    other_address = {"environ_base": {"REMOTE_ADDR": "192.0.2.9"}}
    data = enquiry_data(other)
    assert other.post("/enquire", data=data, **other_address).status_code == 303
    assert len(stored_enquiries(app)) == 3


def test_enquiry_rate_limit_holds_for_staff_too(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", RATELIMIT_ENABLED=True,
                   RATE_LIMIT_ENQUIRY="1/hour")
    add_staff(app)
    editor = client_as(app, "editor")
    assert send_enquiry(editor).status_code == 303
    assert send_enquiry(editor).status_code == 429


def test_enquiry_on_a_postgis_store(pg_app):
    client = pg_app.test_client()
    assert send_enquiry(client, parcels=("T-001",)).status_code == 303
    [enquiry] = stored_enquiries(pg_app)
    assert enquiry.parcel_codes == ("T-001",) and enquiry.phone == "13812345678"
    assert enquiry.reference in page(client, "/enquire/sent")
    token = csrf_token(client, "/enquire")
    assert client.post("/enquire", data={"csrf_token": token, "parcel": "NOPE"}
                       ).status_code == 422
    assert send_enquiry(client, company="a\x00b", message="\x00").status_code == 422
    assert page(client, "/enquire?parcel=T-001&parcel=a%00b").count('name="parcel"') == 1
    assert len(stored_enquiries(pg_app)) == 1
