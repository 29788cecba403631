"""The dashboard's SVG bar-chart writer: well-formed, escaped, scaled, no script or style."""

import xml.etree.ElementTree as ET

import pytest

from tests.hostile import hostile_items
from webapp.dashboard.charts import WIDTH, Series, bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: ET.Element) -> list[ET.Element]:
    return [e for e in svg.iter(f"{SVG}rect") if e.get("height") != "12"]  # not legend keys


@pytest.mark.parametrize("key, text", hostile_items())
def test_chart_keeps_hostile_labels_as_text(key, text):
    svg = ET.fromstring(bar_chart_svg(text, [text], [Series(text, "#2e7d32", (1.0,))]))
    assert svg.find(f"{SVG}title").text  # parsed: nothing broke out of the text
    assert not [e for e in svg.iter() if e.tag.endswith(("script", "style", "foreignObject"))]


def test_chart_stacks_series_in_proportion():
    svg = ET.fromstring(bar_chart_svg("t", ["a", "b"], [Series("x", "#111111", (3.0, 1.0)),
                                                        Series("y", "#222222", (1.0, 0.0))]))
    widths = [float(r.get("width")) for r in bars(svg)]
    assert widths[0] + widths[1] == pytest.approx(WIDTH - 190 - 70)
    assert widths[0] == pytest.approx(3 * widths[1]) and widths[2] == pytest.approx(widths[1])


def test_chart_of_nothing_is_still_a_document():
    svg = ET.fromstring(bar_chart_svg("t", [], [Series("x", "#111111", ())]))
    assert svg.get("role") == "img" and bars(svg) == []
