"""Erasing an enquirer's personal data (admin only, after a confirmation): gone from the enquiry
page, the project's contact and the audit history; the figures stay; the erasure is audited."""

import json

import pytest

from tests.editing_fixtures import client_as, csrf_token
from tests.hostile import HOSTILE
from tests.http.pages import assert_inert, shows_as_text

PERSONAL = {"company": "隐私企业ERASEME", "contact_name": "王联系人ERASEME",
            "phone": "13812345678", "email": "wang.eraseme@example.test",
            "message": "请联系我ERASEME"}
CONTACT = "王联系人ERASEME 13812345678"


@pytest.fixture
def enquiry_app(staff_app):
    """staff_app with an enquiry made into a project whose contact was edited once."""
    pipeline = staff_app.extensions["landgis.store"].pipeline
    enquiry = pipeline.add_enquiry({
        "parcel_codes": ("T-001",), **PERSONAL, "industry": "new_materials",
        "investment_wan": 30000.0, "jobs": 120, "language": "zh", "requirement": None,
        "consent_at": "2026-12-01T02:00:00Z"})
    project = pipeline.add_project({"name": "新材料项目", "company": "项目公司",
                                    "contact": "旧联系人ERASEME", "industry": "new_materials",
                                    "investment_wan": 30000.0, "jobs": 120}, "eddie",
                                   enquiry_id=enquiry.id)
    pipeline.update_project(project.id, {"contact": CONTACT}, None, "eddie")
    staff_app.config["TEST_IDS"] = (enquiry.id, project.id)
    return staff_app


def ids(app):
    return app.config["TEST_IDS"]


def erase(client, enquiry_id, confirm=True):
    data = {"csrf_token": csrf_token(client, "/admin/weekly")}
    if confirm:
        data["confirm"] = "erase"
    return client.post(f"/admin/enquiries/{enquiry_id}/erase?lang=en", data=data)


def pipeline(app):
    return app.extensions["landgis.store"].pipeline


def test_erase_without_confirmation_asks_and_erases_nothing(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    response = erase(client_as(enquiry_app, "admin"), enquiry_id, confirm=False)
    assert response.status_code == 200 and 'id="confirm-erase"' in response.text
    assert 'name="confirm" value="erase"' in response.text
    assert pipeline(enquiry_app).enquiry(enquiry_id).phone == PERSONAL["phone"]


def test_erase_confirmed_redirects_to_enquiry_page(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    response = erase(client_as(enquiry_app, "admin"), enquiry_id)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/enquiries/{enquiry_id}"


def test_erase_removes_personal_data_from_enquiry_and_keeps_figures(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    erase(client_as(enquiry_app, "admin"), enquiry_id)
    enquiry = pipeline(enquiry_app).enquiry(enquiry_id)
    assert [getattr(enquiry, name) for name in PERSONAL] == [None] * len(PERSONAL)
    assert (enquiry.industry, enquiry.investment_wan, enquiry.jobs, enquiry.parcel_codes) == (
        "new_materials", 30000.0, 120, ("T-001",))
    assert (enquiry.erased_by, enquiry.erased_at is not None) == ("ada", True)


def test_erase_clears_project_contact_and_keeps_its_figures(enquiry_app):
    enquiry_id, project_id = ids(enquiry_app)
    erase(client_as(enquiry_app, "admin"), enquiry_id)
    project = pipeline(enquiry_app).project(project_id)
    assert project.contact is None
    assert (project.name, project.industry, project.investment_wan, project.jobs) == (
        "新材料项目", "new_materials", 30000.0, 120)


def test_erase_leaves_no_personal_data_in_audit_history(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    erase(client_as(enquiry_app, "admin"), enquiry_id)
    history = json.dumps([(c.old_value, c.new_value) for c in
                          pipeline(enquiry_app).changes(limit=1000).records], ensure_ascii=False)
    assert "ERASEME" not in history and "13812345678" not in history


def test_erase_is_audited(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    erase(client_as(enquiry_app, "admin"), enquiry_id)
    rows = pipeline(enquiry_app).changes("enquiry", enquiry_id).records
    erased = [c for c in rows if c.field == "erased"]
    assert [(c.actor, c.source) for c in erased] == [("ada", "erasure")]


def test_erased_enquiry_page_says_when_and_by_whom(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    admin = client_as(enquiry_app, "admin")
    erase(admin, enquiry_id)
    html = admin.get(f"/admin/enquiries/{enquiry_id}?lang=en").text
    assert "Personal data erased on" in html and "by ada" in html
    assert "ERASEME" not in html and "13812345678" not in html


def test_erased_project_page_shows_no_contact(enquiry_app):
    enquiry_id, project_id = ids(enquiry_app)
    admin = client_as(enquiry_app, "admin")
    erase(admin, enquiry_id)
    html = admin.get(f"/admin/projects/{project_id}?lang=en").text
    assert "新材料项目" in html
    assert "ERASEME" not in html and "13812345678" not in html


def test_erase_twice_is_harmless(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    admin = client_as(enquiry_app, "admin")
    erase(admin, enquiry_id)
    assert erase(admin, enquiry_id).status_code == 303


def test_enquiry_page_offers_erasure_to_admin_only(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    path = f"/admin/enquiries/{enquiry_id}"
    assert 'id="erase-enquiry"' in client_as(enquiry_app, "admin").get(path).text
    assert 'id="erase-enquiry"' not in client_as(enquiry_app, "editor").get(path).text


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_erase_is_refused_below_admin(enquiry_app, role):
    enquiry_id, _ = ids(enquiry_app)
    assert erase(client_as(enquiry_app, role), enquiry_id).status_code == 403
    assert pipeline(enquiry_app).enquiry(enquiry_id).phone == PERSONAL["phone"]


def test_erase_needs_a_login(enquiry_app):
    enquiry_id, _ = ids(enquiry_app)
    client = client_as(enquiry_app, None)
    response = client.post(f"/admin/enquiries/{enquiry_id}/erase", data={"confirm": "erase"})
    assert response.status_code in (302, 400, 401)
    assert pipeline(enquiry_app).enquiry(enquiry_id).phone == PERSONAL["phone"]


@pytest.mark.parametrize("number", ["4242", str(2**70)])
def test_erase_of_unknown_enquiry_is_not_found(enquiry_app, number):
    response = erase(client_as(enquiry_app, "admin"), number)
    assert response.status_code == 404


@pytest.mark.parametrize("key", ["jinja_expression", "script_close", "attribute_break"])
def test_erase_confirmation_shows_hostile_project_name_as_text(enquiry_app, key):
    enquiry_id, project_id = ids(enquiry_app)
    pipeline(enquiry_app).update_project(project_id, {"name": HOSTILE[key]}, None, "eddie")
    html = erase(client_as(enquiry_app, "admin"), enquiry_id, confirm=False).text
    assert_inert(html)
    assert shows_as_text(html, HOSTILE[key])
