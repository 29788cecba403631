"""The import report's summary (file, encoding, coordinates, fields, rows) in the user's
language.

The import core records its choices as English text (webapp.importing: "zipped Shapefile",
"from the file", "detected: …"); each known text is a msgid here, read back with its values,
so the preview never shows an English sentence inside the Chinese UI. Unknown text is shown as
it is (a file's own names are data, not UI).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from webapp.domain.messages import N_
from webapp.importing.report import ACCEPTED, REJECTED, REPAIRED, ImportReport

Translate = Callable[..., str]

FORMAT_NAMES = (N_("GeoPackage"), N_("GeoJSON"), N_("Shapefile"), N_("zipped Shapefile"),
                N_("File Geodatabase"))
CHOICE_REASONS = (
    N_("given by the user"),
    N_("from the file"),
    N_("from %(file)s"),
    N_("no CRS in the file; coordinates are longitude/latitude (CGCS2000 assumed)"),
    N_("no CRS in the file; eastings start with %(zone)s: CGCS2000 3-degree Gauss-Kruger "
       "zone %(zone2)s (EPSG:%(code)s)"),
    N_("detected: the text is valid UTF-8 (no .cpg file)"),
    N_("detected: GB18030/GBK Chinese text (no .cpg file)"),
)
CHOSEN = re.compile(r"^(?P<value>.*) \((?P<reason>[^()]*(?:\([^()]*\)[^()]*)*)\)$", re.DOTALL)


@dataclass(frozen=True)
class SummaryLine:
    """One line of the summary: a label and its value, both ready to show."""

    label: str
    value: str


@cache
def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)"
                    for i, p in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


def translate_choice(text: str, gettext: Translate) -> str:
    """A choice's reason in the language of gettext (unknown text as it is)."""
    for template in CHOICE_REASONS:
        found = _pattern(template).match(text)
        if found:
            return gettext(template) % found.groupdict()
    return text


def translate_chosen(text: str, gettext: Translate) -> str:
    """"VALUE (DETAIL; REASON)" or "VALUE (REASON)" with the reason translated."""
    found = CHOSEN.match(text)
    if not found:
        return text
    inner = found["reason"]
    whole = translate_choice(inner, gettext)
    if whole != inner:
        return f"{found['value']} ({whole})"
    detail, sep, reason = inner.partition("; ")
    return f"{found['value']} ({detail}{sep}{translate_choice(reason, gettext)})"


def summary_lines(report: ImportReport, gettext: Translate,
                  field_names: dict[str, str]) -> list[SummaryLine]:
    """The report's summary lines; field_names: target field → its label."""
    file_text = f"{report.source} ({gettext(report.file_format)})"
    if report.layer:
        file_text += " · " + gettext("layer %(name)s", name=report.layer)
    lines = [SummaryLine(gettext("File"), file_text)]
    if report.encoding:
        lines.append(SummaryLine(gettext("Text encoding"),
                                 translate_chosen(report.encoding, gettext)))
    if report.crs:
        lines.append(SummaryLine(gettext("Coordinates"), translate_chosen(report.crs, gettext)))
    used = {s: t for s, t in report.mapping.items() if t != "ignore"}
    if used:
        lines.append(SummaryLine(gettext("Fields"), ", ".join(
            f"{source} → {field_names.get(target, target)}" for source, target in used.items())))
    lines.append(SummaryLine(gettext("Rows"), gettext(
        "%(rows)s: %(accepted)s accepted, %(repaired)s repaired, %(rejected)s rejected",
        rows=len(report.rows), accepted=report.count(ACCEPTED),
        repaired=report.count(REPAIRED), rejected=report.count(REJECTED))))
    if report.streets_filled:
        lines.append(SummaryLine(gettext("Streets filled from the street boundaries"),
                                 str(report.streets_filled)))
    return lines
