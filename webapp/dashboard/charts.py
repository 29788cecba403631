"""Horizontal bar charts as small, static SVG documents (no script, no style element).

Written with xml.etree.ElementTree, which escapes every text and attribute, so labels from the
store cannot become markup. Bars are stacked (areas by status) or grouped (counts per month);
colours and fonts are presentation attributes, so the document looks the same as an <img> (how
the dashboard shows it, beside a data table carrying the exact values) and under a strict CSP.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 190  # left column of category labels
VALUE_WIDTH = 70  # right column of totals
ROW_HEIGHT = 26
BAR_HEIGHT = 16
LEGEND_HEIGHT = 28
FONT = {"font-family": "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif", "font-size": "13",
        "fill": "#222222"}
MAX_LABEL_CHARS = 14  # longer labels are cut with an ellipsis (the table has them whole)


@dataclass(frozen=True)
class Series:
    """One coloured part of every bar: its legend text, colour and a value per category."""

    name: str
    color: str  # #rrggbb
    values: tuple[float, ...]


# Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/U+FFFF):
# ElementTree would write them and leave a document no parser reads.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """The text with the characters XML cannot hold replaced by U+FFFD."""
    return NOT_XML.sub("\ufffd", text)


def _short(label: str) -> str:
    label = xml_text(label)
    return label if len(label) <= MAX_LABEL_CHARS else label[:MAX_LABEL_CHARS - 1] + "…"


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _legend(svg: ET.Element, series: list[Series]) -> None:
    x = LABEL_WIDTH
    for item in series:
        ET.SubElement(svg, "rect", {"x": str(x), "y": "6", "width": "12", "height": "12",
                                    "fill": item.color})
        text = ET.SubElement(svg, "text", {"x": str(x + 16), "y": "17", **FONT})
        text.text = xml_text(item.name)
        x += 28 + 13 * len(item.name)


def bar_chart_svg(title: str, categories: list[str], series: list[Series],
                  stacked: bool = True, decimals: int = 2) -> str:
    """An SVG bar chart, one row per category: the series' values side by side in one bar
    (stacked) or as thin bars under each other (grouped); the row's total on the right."""
    rows = len(categories)
    per_row = 1 if stacked else max(len(series), 1)
    row_height = ROW_HEIGHT if stacked else max(ROW_HEIGHT, per_row * (BAR_HEIGHT // 2 + 4) + 6)
    height = LEGEND_HEIGHT + max(rows, 1) * row_height + 4
    totals = [sum(s.values[i] for s in series) for i in range(rows)]
    widest = max((totals if stacked else [v for s in series for v in s.values]), default=0.0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / widest if widest > 0 else 0.0
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "role": "img",
                             "viewBox": f"0 0 {WIDTH} {height}", "width": str(WIDTH),
                             "height": str(height)})
    ET.SubElement(svg, "title").text = xml_text(title)
    _legend(svg, series)
    for i, category in enumerate(categories):
        top = LEGEND_HEIGHT + i * row_height
        label = ET.SubElement(svg, "text", {"x": str(LABEL_WIDTH - 6),
                                            "y": str(top + BAR_HEIGHT - 3), "text-anchor": "end",
                                            **FONT})
        label.text = _short(category)
        x = float(LABEL_WIDTH)
        for j, item in enumerate(series):
            width = item.values[i] * scale
            y = top if stacked else top + j * (BAR_HEIGHT // 2 + 4)
            bar_height = BAR_HEIGHT if stacked else BAR_HEIGHT // 2 + 2
            if width > 0:
                ET.SubElement(svg, "rect", {"x": f"{x:.1f}", "y": str(y),
                                            "width": f"{max(width, 1.0):.1f}",
                                            "height": str(bar_height), "fill": item.color})
            if stacked:
                x += width
        total = ET.SubElement(svg, "text", {"x": str(WIDTH - 4), "y": str(top + BAR_HEIGHT - 3),
                                            "text-anchor": "end", **FONT})
        total.text = _number(totals[i], decimals)
    return ET.tostring(svg, encoding="unicode")
