"""What a file holds, for choosing a mapping: sample values per field and the values an import
would reject, with their row counts."""

import pandas as pd

from webapp.domain.landuse import LandUseTable, load_landuse_table
from webapp.importing.fields import resolve_mapping
from webapp.importing.mapping import VALUE_TARGETS, ImportMapping, value_key
from webapp.importing.values import is_blank

UnknownValues = dict[str, list[tuple[str, int]]]


def _value_counts(column: pd.Series) -> list[tuple[str, int]]:
    """(value as the mapping file writes it, rows) of a column's non-blank values."""
    counts: dict[str, int] = {}
    for value, rows in column.value_counts(dropna=True, sort=False).items():
        if not is_blank(value):
            key = value_key(value)
            counts[key] = counts.get(key, 0) + int(rows)
    return list(counts.items())


def unknown_values(frame: pd.DataFrame, mapping: ImportMapping,
                   table: LandUseTable | None = None) -> UnknownValues:
    """Target (land_use, status, supply_method) -> [(source value, row count)] of the values
    the import would reject with this mapping, most frequent first (then by value); targets
    without such values are left out. Fields are resolved as the import resolves them."""
    table = table or load_landuse_table()
    columns = [c for c in frame.columns if c != "geometry"]
    fields = resolve_mapping(columns, mapping.fields)
    found: UnknownValues = {}
    for source, target in fields.items():
        if target not in VALUE_TARGETS or target in mapping.fixed:
            continue
        for value, rows in _value_counts(frame[source]):
            try:
                mapping.convert(target, value, table)
            except ValueError:
                found.setdefault(target, []).append((value, rows))
    return {target: sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
            for target, pairs in found.items()}


def merge_unknown_values(total: UnknownValues, more: UnknownValues) -> UnknownValues:
    """Counts of two parts of a file added up (chunked reading), most frequent first."""
    merged: dict[str, dict[str, int]] = {t: dict(pairs) for t, pairs in total.items()}
    for target, pairs in more.items():
        counts = merged.setdefault(target, {})
        for value, rows in pairs:
            counts[value] = counts.get(value, 0) + rows
    return {target: sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
            for target, counts in merged.items()}


def field_samples(frame: pd.DataFrame, n: int = 3) -> dict[str, list[str]]:
    """Source field -> up to n distinct non-blank values as text, in row order (geometry left
    out), for showing what each field holds."""
    samples: dict[str, list[str]] = {}
    for column in frame.columns:
        if column == "geometry":
            continue
        seen: list[str] = []
        for value in frame[column]:
            if not is_blank(value) and (text := value_key(value)) not in seen:
                seen.append(text)
                if len(seen) == n:
                    break
        samples[str(column)] = seen
    return samples
