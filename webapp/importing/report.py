"""The import report: every row accepted, repaired or rejected, with its reason."""

import csv
import io
from dataclasses import dataclass, field

from webapp.domain.messages import N_
from webapp.domain.spreadsheet import neutralise_cell
from webapp.importing.reasons import (
    OUTCOME_NAMES,
    ProblemGroup,
    Translate,
    group_problems,
    translate_message,
)

CSV_HEADER = (N_("row"), N_("code"), N_("outcome"), N_("message"))

ACCEPTED, REPAIRED, REJECTED = "accepted", "repaired", "rejected"


@dataclass(frozen=True, slots=True)  # slots: a large import holds a million of them
class RowOutcome:
    """What happened to one feature of the file (row numbers start at 1)."""

    row: int
    code: str | None
    outcome: str
    message: str = ""


@dataclass
class ImportReport:
    """Everything a user needs to trust an import before and after it is written."""

    source: str
    file_format: str
    layer: str | None = None
    encoding: str | None = None
    crs: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    rows: list[RowOutcome] = field(default_factory=list)
    # Source field → a few of its values; target → [(source value, rows)] the import rejects.
    field_samples: dict[str, list[str]] = field(default_factory=dict)
    unknown_values: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    streets_filled: int = 0  # parcels given a street from the street-boundary layers

    def count(self, outcome: str) -> int:
        """How many rows had this outcome."""
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def importable(self) -> int:
        """Rows that will be written (accepted or repaired)."""
        return self.count(ACCEPTED) + self.count(REPAIRED)

    def summary_lines(self) -> list[str]:
        """Short text summary: source, choices made and counts."""
        lines = [f"File: {self.source} ({self.file_format}"
                 + (f", layer {self.layer})" if self.layer else ")")]
        if self.encoding:
            lines.append(f"Text encoding: {self.encoding}")
        if self.crs:
            lines.append(f"Coordinates: {self.crs}")
        if self.mapping:
            used = {s: t for s, t in self.mapping.items() if t != "ignore"}
            lines.append("Fields: " + ", ".join(f"{s} → {t}" for s, t in used.items()))
        lines.append(f"Rows: {len(self.rows)} — {self.count(ACCEPTED)} accepted, "
                     f"{self.count(REPAIRED)} repaired, {self.count(REJECTED)} rejected")
        if self.streets_filled:
            lines.append(f"Street filled from boundaries: {self.streets_filled}")
        return lines

    def problem_rows(self) -> list[RowOutcome]:
        """Repaired and rejected rows, and accepted rows with a note."""
        return [r for r in self.rows if r.outcome != ACCEPTED or r.message]

    def problem_groups(self) -> list[ProblemGroup]:
        """Problems grouped by outcome, reason and value with row counts, most rows first
        ("unknown land use 住宅區: 412 rows")."""
        return group_problems(self.rows)

    def to_csv(self, gettext: Translate = str) -> str:
        """The report as CSV text with a UTF-8 BOM (spreadsheets show Chinese): first one line
        per problem group (no row number), then one line per row; header, outcomes and
        messages in the language of `gettext`. Text cells a spreadsheet would run as a formula
        (=, +, -, @) are neutralised."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([gettext(name) for name in CSV_HEADER])
        for group in self.problem_groups():
            writer.writerow(["", "", gettext(OUTCOME_NAMES[group.outcome]),
                             neutralise_cell(group.text(gettext))])
        for r in self.rows:
            message = translate_message(r.message, gettext) if r.message else ""
            writer.writerow([r.row, neutralise_cell(r.code or ""),
                             gettext(OUTCOME_NAMES[r.outcome]), neutralise_cell(message)])
        return "\ufeff" + buffer.getvalue()
