"""The hostile corpus in every text field of enquiries, projects and notes, on every staff
pipeline page and in the CSV: shown as text, nothing evaluated, formulas neutralised."""

import csv
import io
from urllib.parse import quote

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as
from tests.hostile import HOSTILE, hostile_items
from tests.http.pages import assert_inert, shows_as_text
from tests.http.project_steps import ENQUIRY
from webapp.domain.spreadsheet import neutralise_cell

KEYS = list(HOSTILE)
SHORT = [(key, text) for key, text in hostile_items() if len(text) <= 100]


def cut(text: str, limit: int) -> str:
    """The corpus text as a field of that many characters holds it."""
    return text[:limit].strip()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """An app with one enquiry, one project (made from it, then edited) and one note per
    corpus string; get(path) fetches a page as the editor, once."""
    app = make_app(tmp_path_factory.mktemp("hostile_projects"), DATA / "small.geojson")
    add_staff(app)
    pipeline = app.extensions["landgis.store"].pipeline
    ids = {}
    for key, text in hostile_items():
        enquiry = pipeline.add_enquiry({**ENQUIRY, "company": cut(text, 200),
                                        "contact_name": cut(text, 100), "message": text[:2000],
                                        "requirement": text[:500]})
        project = pipeline.add_project({
            "name": cut(text, 100), "company": cut(text, 200), "contact": cut(text, 200),
            "stage": "dropped", "drop_reason": cut(text, 500), "street": cut(text, 100),
            "next_action": cut(text, 500)}, "eddie", enquiry_id=enquiry.id)
        pipeline.add_note(project.id, text[:2000], "eddie")
        ids[key] = (enquiry.id, project.id)
    client = client_as(app, "editor")
    cache = {}

    def get(path: str):
        if path not in cache:
            cache[path] = client.get(path)
        return cache[path]

    get.ids = ids
    return get


def html_of(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    html = response.get_data(as_text=True)
    assert_inert(html)
    return html


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
@pytest.mark.parametrize("path", ["/admin/enquiries?status=all", "/admin/projects",
                                  "/admin/projects?view=board&lang=en"])
def test_lists_show_hostile_text_as_text(hostile, key, text, path):
    assert shows_as_text(html_of(hostile(path)), cut(text, 100))


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
def test_enquiry_page_shows_hostile_text_as_text(hostile, key, text):
    html = html_of(hostile(f"/admin/enquiries/{hostile.ids[key][0]}"))
    assert shows_as_text(html, cut(text, 200)) and shows_as_text(html, text[:2000])
    assert 'href="javascript:' not in html


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
@pytest.mark.parametrize("suffix", ["", "/edit"])
def test_project_pages_show_hostile_text_as_text(hostile, key, text, suffix):
    html = html_of(hostile(f"/admin/projects/{hostile.ids[key][1]}{suffix}"))
    for limit in (100, 200, 500):
        assert shows_as_text(html, cut(text, limit))
    if not suffix:
        assert shows_as_text(html, text[:2000])  # the note


@pytest.mark.parametrize(("key", "text"), SHORT, ids=[k for k, _ in SHORT])
def test_street_filter_with_hostile_value_is_inert(hostile, key, text):
    html = html_of(hostile(f"/admin/projects?street={quote(text)}"))
    assert shows_as_text(html, text.strip())


def test_csv_holds_hostile_text_neutralised(hostile):
    response = hostile("/admin/projects.csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    names = {row[1] for row in rows[1:]}
    assert names == {neutralise_cell(cut(text, 100)) for text in HOSTILE.values()}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
