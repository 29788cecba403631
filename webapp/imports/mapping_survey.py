"""What the mapping page shows of an upload: each source field with samples and its target, each
value of a vocabulary field (land use, status, supply method) that is mapped or still unknown,
with its row count; bounded, so a file of 10^4 distinct values makes a page of a few hundred."""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from webapp.domain.landuse import LandUseTable
from webapp.importing.archive import DEFAULT_LIMITS
from webapp.importing.field_survey import field_samples, merge_unknown_values, unknown_values
from webapp.importing.fields import resolve_mapping
from webapp.importing.mapping import VALUE_TARGETS, ImportMapping
from webapp.importing.pipeline import CHUNK_ROWS, ImportOptions, open_layer
from webapp.importing.report import ImportReport
from webapp.imports.mapping_state import MappingState

MAX_VALUES_SHOWN = 200  # per target: the most frequent unknown values
MAX_FIELDS_SHOWN = 300
MAX_SAMPLE_CHARS = 80


@dataclass(frozen=True)
class FieldRow:
    """One source field: its samples (shortened) and its target ("" when none)."""

    name: str
    samples: tuple[str, ...]
    target: str


@dataclass(frozen=True)
class ValueRow:
    """One source value of a vocabulary field: rows holding it (None when the file has none
    left unknown: a value mapped already) and the landgis value chosen ("" when none)."""

    value: str
    rows: int | None
    chosen: str


@dataclass
class MappingSurvey:
    """The mapping page's content; rows are numbered by position, and the page's form refers
    to them by that number (the same survey is made again when the form comes back)."""

    fields: list[FieldRow] = field(default_factory=list)
    values: dict[str, list[ValueRow]] = field(default_factory=dict)
    more_values: dict[str, int] = field(default_factory=dict)  # unknown values not shown
    more_fields: int = 0
    error: str | None = None


def shortened(text: str, limit: int = MAX_SAMPLE_CHARS) -> str:
    """A sample as the page shows it: NUL and other controls as U+FFFD, at most `limit`
    characters (an ellipsis marks a cut)."""
    clean = "".join("\ufffd" if ord(c) < 32 and c not in "\t" else c for c in text)
    return clean if len(clean) <= limit else clean[:limit - 1] + "…"


def read_survey(path: Path, options: ImportOptions, mapping: ImportMapping,
                table: LandUseTable) -> tuple[dict[str, list[str]], dict[str, list]]:
    """(field -> samples, target -> [(unknown value, rows)]) of the chosen layer, read chunk
    by chunk; DataFileError when the file cannot be read."""
    report = ImportReport(source=path.name, file_format="")
    samples: dict[str, list[str]] = {}
    unknown: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="landgis-survey-") as workdir:
        reader = open_layer(path, options.layer, options.encoding, Path(workdir), report,
                            DEFAULT_LIMITS)
        for first_row, raw in reader.chunks(CHUNK_ROWS):
            if first_row == 1:
                samples = field_samples(raw)
            unknown = merge_unknown_values(unknown, unknown_values(raw, mapping, table))
    return samples, unknown


def value_rows(mapping: ImportMapping, target: str, unknown: list[tuple[str, int]]
               ) -> tuple[list[ValueRow], int]:
    """The values of a target the page lists: those the mapping maps (by value), then the most
    frequent unknown ones; and how many unknown values are left out."""
    mapped = mapping.values.get(target, {})
    rows = [ValueRow(value, None, chosen)
            for value, chosen in sorted(mapped.items())[:MAX_VALUES_SHOWN]]
    shown = [(value, count) for value, count in unknown if value not in mapped]
    rows += [ValueRow(value, count, "") for value, count in shown[:MAX_VALUES_SHOWN]]
    return rows, max(0, len(shown) - MAX_VALUES_SHOWN)


def survey_upload(path: Path, options: ImportOptions, state: MappingState,
                  table: LandUseTable) -> MappingSurvey:
    """The page's content for an upload and its kept mapping state."""
    samples, unknown = read_survey(path, options, state.mapping, table)
    resolved = resolve_mapping(list(state.fields), {
        source: target for source, target in state.mapping.fields.items()
        if source in state.fields})
    survey = MappingSurvey()
    for name in state.fields[:MAX_FIELDS_SHOWN]:
        survey.fields.append(FieldRow(name, tuple(shortened(s) for s in samples.get(name, [])),
                                      resolved.get(name, "")))
    survey.more_fields = max(0, len(state.fields) - MAX_FIELDS_SHOWN)
    for target in VALUE_TARGETS:
        if target in resolved.values() or state.mapping.values.get(target):
            rows, more = value_rows(state.mapping, target, unknown.get(target, []))
            survey.values[target] = rows
            survey.more_values[target] = more
    return survey
