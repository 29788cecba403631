"""The hostile corpus sent through the enquiry form: stored verbatim in every text field (cut
to its limit), shown as inert text on the sent page and the staff enquiry page and inbox; in
the checked fields (phone, e-mail) refused and echoed as text."""

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as
from tests.hostile import HOSTILE, hostile_items
from tests.http.enquiries import send_enquiry, stored_enquiries
from tests.http.pages import assert_inert, shows_as_text
from webapp.domain.enquiry_form import TEXT_LIMITS


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the module; each test sends its own enquiry (the store keeps them all)."""
    app = make_app(tmp_path_factory.mktemp("hostile-enquiries"), DATA / "small.geojson")
    add_staff(app)
    return app


def values_for(text: str) -> dict[str, str]:
    """The text in every free-text field, cut to each field's limit, as the form strips it."""
    return {name: text[:limit].strip() for name, limit in TEXT_LIMITS.items()}


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    assert_inert(html)
    return html


def send(app, text: str):
    """Send the text in every free-text field; the stored enquiry and the sender's client."""
    client = app.test_client()
    values = values_for(text)
    response = send_enquiry(client, **values)
    assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    enquiry = next(e for e in stored_enquiries(app) if e.message == values["message"])
    return enquiry, client, values


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_enquiry_is_stored_verbatim(app, key, text):
    enquiry, _client, values = send(app, text)
    assert {name: getattr(enquiry, name) for name in values} == values


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_enquiry_shows_as_text_on_the_sent_page(app, key, text):
    enquiry, client, values = send(app, text)
    html = page(client, "/enquire/sent")
    assert enquiry.reference in html
    assert shows_as_text(html, values["company"]) and shows_as_text(html, values["contact_name"])


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_enquiry_shows_as_text_on_staff_pages(app, key, text):
    enquiry, _client, values = send(app, text)
    viewer = client_as(app, "viewer")
    html = page(viewer, f"/admin/enquiries/{enquiry.id}")
    assert all(shows_as_text(html, value) for value in values.values())
    page(viewer, "/admin/enquiries")


@pytest.mark.parametrize("field", ["phone", "email"])
@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_text_in_a_checked_field_is_refused_and_echoed_as_text(app, field, key, text):
    before = len(stored_enquiries(app))
    response = send_enquiry(app.test_client(), **{field: text})
    html = response.get_data(as_text=True)
    # 10,000 CJK characters are 90 kB as a form body: past FORM_MAX_KB, refused before parsing
    assert response.status_code == (413 if key == "long_text" else 422)
    assert_inert(html)
    assert shows_as_text(html, text) or key == "long_text"
    assert len(stored_enquiries(app)) == before
