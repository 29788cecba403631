"""The hostile corpus in a brochure: every text comes out as the same text in the PDF, nothing
is evaluated or fetched, and a very long text still makes one bounded page per parcel."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import make_app
from tests.hostile import EVALUATED_MARKERS, HOSTILE, write_hostile_district

# The first row of the hostile district (its 100 m squares side by side from 118.50 E).
FIRST_ROW_BBOX = "118.4995,31.6995,118.5070,31.7012"  # corpus entries 0-4
FIRST_ROW = list(HOSTILE)[:5]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app on the hostile district."""
    folder = tmp_path_factory.mktemp("hostile-brochure")
    (folder / "source").mkdir()
    return make_app(folder / "app", write_hostile_district(folder / "source"),
                    BROCHURE_MAX_PARCELS=5)


@pytest.fixture(scope="module")
def first_row(app):
    """The brochure of the first five corpus parcels, read back."""
    response = app.test_client().get(f"/brochure.pdf?bbox={FIRST_ROW_BBOX}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.data, PdfReader(io.BytesIO(response.data))


def test_hostile_brochure_one_page_per_parcel(first_row):
    assert len(first_row[1].pages) == len(FIRST_ROW)


@pytest.mark.parametrize("key", FIRST_ROW)
def test_hostile_text_shows_as_text(first_row, key):
    text = "".join(page.extract_text() for page in first_row[1].pages).replace("\n", "")
    fragment = HOSTILE[key].split()[0][:12]
    assert fragment in text


def test_hostile_brochure_evaluates_no_template(first_row):
    text = "".join(page.extract_text() for page in first_row[1].pages)
    assert "{{ 7*7 }}" in text and "{% if true %}" in text
    assert not any(marker in text for marker in EVALUATED_MARKERS[:2])


def test_hostile_brochure_has_no_scripts_or_links(first_row):
    data = first_row[0]
    assert b"/JavaScript" not in data and b"/JS " not in data and b"/URI" not in data


def test_hostile_long_text_stays_one_page(app):
    index = list(HOSTILE).index("long_text")
    response = app.test_client().get(f"/parcels/{index + 1}/brochure.pdf")
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
