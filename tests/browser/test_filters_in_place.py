"""Filters applied in place on a phone and a desktop: no reload, the count in sight, whole
land-use classes, sorting, availability drawn on the map, widening an empty result."""

import json
import struct
import zlib

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SAMPLE, serve_file
from webapp.domain.filters import ParcelFilter

pytestmark = pytest.mark.browser

# Sample parcels recoded as bureau files often code them: the class itself, or a second level.
RECODED = {0: "1001", 1: "1001", 2: "10", 3: "1101"}


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """The sample district with a few parcels coded 1001, 10 and 1101, served live."""
    tmp = tmp_path_factory.mktemp("filters")
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    industrial = [f for f in data["features"] if f["properties"]["land_use"].startswith("1001")]
    for index, code in RECODED.items():
        industrial[index]["properties"]["land_use"] = code
    source = tmp / "recoded.geojson"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with serve_file(tmp / "app", source) as server:
        yield server


def matched(server, **fields) -> int:
    """How many published parcels the store holds for a filter."""
    return server.store.query(ParcelFilter(**fields), limit=None).number_matched


def open_map(page: Page, server, query: str = "") -> None:
    """Open the map page, wait for the parcel layer and mark the document (a reload clears it)."""
    page.goto(server.url("/" + (f"?{query}" if query else "")))
    page.wait_for_selector("#map_parcels[data-parcel-count]", state="attached")
    page.evaluate("() => { window.landgisTestMark = 'same document'; }")


def applied(page: Page, times: int) -> None:
    """Wait until filters.js has shown its times-th answer."""
    page.wait_for_function("n => Number(document.getElementById('filter-form')"
                           ".getAttribute('data-applied') || 0) >= n", arg=times)


def not_reloaded(page: Page) -> bool:
    """True when the page is still the document open_map opened (no navigation since)."""
    return page.evaluate("() => window.landgisTestMark === 'same document' && "
                         "performance.getEntriesByType('navigation').length === 1")


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_industrial_and_logistics_take_three_taps_without_reload(page, district, browser):
    open_map(page, district)
    count = page.locator("#filter-count")
    page.locator("#filters > summary").tap()  # 1
    page.locator("input[data-lu-class='10']").tap()  # 2
    applied(page, 1)
    expect(count).to_be_in_viewport()
    expect(count).to_have_attribute("data-count", str(matched(district, land_uses=("10",))))
    page.locator("input[data-lu-class='11']").tap()  # 3
    applied(page, 2)
    expected = matched(district, land_uses=("10", "11"))
    expect(count).to_be_in_viewport()
    expect(count).to_have_attribute("data-count", str(expected))
    assert not_reloaded(page)
    assert page.url.endswith("/?land_use=10&land_use=11")
    assert int(page.get_attribute("#map_parcels", "data-parcel-count")) == expected
    fresh = browser.new_context(locale="zh-CN")
    try:
        other = fresh.new_page()
        other.goto(page.url)
        other.wait_for_selector("#map_parcels[data-parcel-count]", state="attached")
        assert int(other.get_attribute("#result-summary", "data-count")) == expected
        expect(other.locator("input[data-lu-class='10']")).to_be_checked()
        expect(other.locator("input[data-lu-class='11']")).to_be_checked()
    finally:
        fresh.close()


def test_industrial_class_lists_parcels_coded_1001_and_10(page, district):
    coded = district.store.query(ParcelFilter(land_uses=("10",)), limit=None).parcels
    short = sorted(p.code for p in coded if len(p.land_use) <= 4)
    assert len(short) == 3  # two coded 1001, one coded 10
    open_map(page, district)
    if page.get_attribute("#filters", "open") is None:
        page.click("#filters > summary")
    page.check("input[data-lu-class='10']")
    applied(page, 1)
    codes = page.locator("#result-list .result strong").all_text_contents()
    assert len(codes) == len(coded)
    assert set(short) <= set(codes)
    assert not_reloaded(page)


def test_sorting_by_area_orders_list_largest_first(page, district):
    open_map(page, district)
    page.select_option("#sort", "-area")
    applied(page, 1)
    ids = page.locator("#result-list button[data-parcel-id]").evaluate_all(
        "els => els.slice(0, 20).map(e => Number(e.dataset.parcelId))")
    stored = district.store.query(ParcelFilter(), limit=20, sort="-area").parcels
    assert ids == [p.id for p in stored]
    areas = [p.area_m2 for p in stored]
    assert areas == sorted(areas, reverse=True)
    assert page.url.endswith("/?sort=-area")
    assert not_reloaded(page)


def test_default_list_puts_available_parcels_first(page, district):
    open_map(page, district)
    statuses = page.locator("#result-list button[data-status]").evaluate_all(
        "els => els.slice(0, 10).map(e => e.dataset.status)")
    assert statuses == ["available"] * 10


def first_pixel(png: bytes) -> tuple[int, int, int]:
    """RGB of a PNG's top-left pixel: the first pixel of the first row is stored as it is
    whatever the row's filter (it has no left or upper neighbour), so no image library."""
    chunks, position = {}, 8
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        chunks.setdefault(kind, b"")
        chunks[kind] += png[position + 8:position + 8 + length]
        position += 12 + length
    depth, colour = chunks[b"IHDR"][8], chunks[b"IHDR"][9]
    assert depth == 8 and colour in (2, 6), "an 8-bit RGB or RGBA screenshot"
    row = zlib.decompress(chunks[b"IDAT"])
    return row[1], row[2], row[3]


def parcel_pixel(page: Page, parcel) -> tuple[int, int, int]:
    """The screenshot's colour at a point inside the parcel, checked to be its own path."""
    point = parcel.geometry.representative_point()
    xy = page.evaluate("""([id, lat, lon]) => {
        const map = window.map_parcels, p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        const x = box.left + p.x, y = box.top + p.y;
        return document.elementFromPoint(x, y) === window.landgis.state.layers[id]._path
          ? [x, y] : null;
    }""", [parcel.id, point.y, point.x])
    assert xy is not None, f"{parcel.code} is covered at its representative point"
    return first_pixel(page.screenshot(clip={"x": xy[0], "y": xy[1], "width": 1, "height": 1}))


def test_sold_parcel_looks_different_from_available_one(page, district):
    sold = district.store.query(ParcelFilter(statuses=("sold",), land_uses=("100101",)),
                                limit=1).parcels[0]
    available = district.store.query(ParcelFilter(statuses=("available",),
                                                  land_uses=("100101",)), limit=1).parcels[0]
    open_map(page, district, "land_use=100101&status=sold&status=available")
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    sold_rgb, available_rgb = parcel_pixel(page, sold), parcel_pixel(page, available)
    distance = sum(abs(a - b) for a, b in zip(sold_rgb, available_rgb, strict=True))
    assert distance > 90, f"sold {sold_rgb} and available {available_rgb} look alike"
    legend = page.locator(".map-legend .legend-status li")
    expect(legend).to_have_count(4)


def test_empty_result_offers_to_widen_in_place(page, district):
    open_map(page, district, "land_use=16&status=sold&status=negotiating")
    assert matched(district, land_uses=("16",), statuses=("sold", "negotiating")) == 0
    notice = page.locator("#map-notice")
    expect(notice).to_be_visible()
    page.evaluate("() => { window.landgisTestMark = 'same document'; }")
    notice.locator("a").last.click()  # show all parcels
    applied(page, 1)
    expect(notice).to_be_hidden()
    assert int(page.get_attribute("#result-summary", "data-count")) == matched(district)
    expect(page.locator("input[name=status]:checked")).to_have_count(0)
    assert not_reloaded(page)


def test_reset_clears_every_filter_in_place(page, district):
    open_map(page, district, "land_use=11&area_min=1")
    page.click("#filter-reset")
    applied(page, 1)
    assert page.url == district.url("/")
    expect(page.locator("#filter-form input:checked")).to_have_count(0)
    assert int(page.get_attribute("#map_parcels", "data-parcel-count")) == matched(district)
    assert not_reloaded(page)
