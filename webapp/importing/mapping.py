"""An import mapping: field names, value vocabularies, defaults and fixed values, and its file.

The mapping file (JSON, or TOML with the same tables) looks like::

    {"fields": {"用地性質": "land_use", "ZDBH": "code"},
     "values": {"land_use": {"住宅區": "0701", "R-1": "0701"}, "status": {"待售": "available"}},
     "others": {"land_use": "1209"},
     "defaults": {"status": "reserve"},
     "fixed": {"street": "塘西街道"}}

Every section is optional. The old flat format ``{"source field": "target field"}`` still reads
(as ``fields``). ``unknown_values`` and ``field_samples`` (for the web mapping step) live in
webapp/importing/field_survey.py.
"""

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from webapp.domain.errors import DataFileError
from webapp.domain.landuse import LandUseTable, load_landuse_table
from webapp.domain.parcel import STATUSES, SUPPLY_METHODS
from webapp.importing.attributes import convert_value
from webapp.importing.fields import TARGETS

# Targets whose values come from a vocabulary, so a file's own words can be mapped to ours.
VALUE_TARGETS = ("land_use", "status", "supply_method")
SECTIONS = ("fields", "values", "others", "defaults", "fixed")
IGNORED_KEYS = ("name", "comment", "description")  # free text a profile file may carry
VALUE_SETTABLE = tuple(sorted(TARGETS - {"ignore"}))  # targets defaults/fixed may set


def value_key(value: object) -> str:
    """A cell value as the mapping file writes it: stripped text; whole floats without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class ImportMapping:
    """How a file's fields and values become parcel attributes.

    fields: source field -> target field (or "ignore"); unnamed fields are guessed.
    values: target (land_use, status, supply_method) -> {source value as written -> our value}
    (a land-use code, a status such as "reserve", a supply method such as "listing").
    others: target -> our value for the values neither mapped nor recognised.
    defaults: target -> value where the file lacks the field or the cell is blank.
    fixed: target -> value for every row, overriding the file.
    """

    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    others: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The mapping file's JSON object (every section present, possibly empty)."""
        return {"fields": dict(self.fields),
                "values": {target: dict(pairs) for target, pairs in self.values.items()},
                "others": dict(self.others), "defaults": dict(self.defaults),
                "fixed": dict(self.fixed)}

    @classmethod
    def from_json(cls, data: object, source: str) -> "ImportMapping":
        """A mapping from a parsed mapping file (new sectioned or old flat format), validated;
        DataFileError naming `source` (a file or profile name) when malformed."""
        if not isinstance(data, dict):
            raise DataFileError(f"{source}: a mapping is an object of sections "
                                f"({', '.join(SECTIONS)}) or of “source field”: “target field” "
                                "pairs")
        if data and all(isinstance(v, str) for v in data.values()) and not set(data) & set(
                SECTIONS):
            mapping = cls(fields=dict(data))  # the old flat format
        else:
            mapping = cls(**_sections(data, source))
        try:
            mapping.validate()
        except DataFileError as error:
            raise DataFileError(f"{source}: {error}") from None
        return mapping

    def validate(self, table: LandUseTable | None = None) -> None:
        """Refuse unknown target fields, land-use codes, statuses and supply methods with a
        DataFileError listing the known ones (`table`: the land-use codes; bundled by default)."""
        table = table or load_landuse_table()
        unknown = sorted(set(self.fields.values()) - TARGETS)
        if unknown:
            raise DataFileError(f"unknown target fields {', '.join(unknown)}; known: "
                                f"{', '.join(sorted(TARGETS))}")
        for section in ("values", "others"):
            odd = sorted(set(getattr(self, section)) - set(VALUE_TARGETS))
            if odd:
                raise DataFileError(f"{section}: values can be mapped for "
                                    f"{', '.join(VALUE_TARGETS)} only, not {', '.join(odd)}")
        for section in ("defaults", "fixed"):
            odd = sorted(set(getattr(self, section)) - set(VALUE_SETTABLE))
            if odd:
                raise DataFileError(f"{section}: unknown target fields {', '.join(odd)}; "
                                    f"known: {', '.join(VALUE_SETTABLE)}")
        for target, value, where in self._given_values():
            check_target_value(target, value, where, table)

    def _given_values(self) -> list[tuple[str, str, str]]:
        given = [(t, v, f"values.{t}.{s}") for t, pairs in self.values.items()
                 for s, v in pairs.items()]
        for section in ("others", "defaults", "fixed"):
            given += [(t, v, f"{section}.{t}") for t, v in getattr(self, section).items()]
        return given

    def value_rules(self, target: str) -> tuple[dict[str, str], str | None]:
        """(source value -> our value, the value for the rest or None) of one target."""
        return self.values.get(target, {}), self.others.get(target)

    def convert(self, target: str, value: object, table: LandUseTable) -> tuple:
        """convert_value with this mapping's value rules: a mapped source value converts as
        its landgis value, an unrecognised one as the target's `others` value when given (a
        land use keeps the file's text as its source); ValueError when still unknown."""
        pairs, other = self.value_rules(target)
        given = pairs.get(value_key(value)) if pairs else None
        try:
            results = convert_value(target, value if given is None else given, table)
        except ValueError:
            if other is None:
                raise
            results = convert_value(target, other, table)
        if target == "land_use":
            results = (results[0], str(value).strip())
        return results


def check_target_value(target: str, value: str, where: str, table: LandUseTable) -> None:
    """Refuse a value the mapping gives a target when the import rules would reject it."""
    try:
        convert_value(target, value, table)
    except ValueError:
        raise DataFileError(f"{where}: “{value}” is not a valid {target}; "
                            f"{known_values(target, table)}") from None


def known_values(target: str, table: LandUseTable) -> str:
    """A sentence naming the values a target accepts (for error messages)."""
    if target == "land_use":
        tops = ", ".join(f"{c.code} {c.name_zh}" for c in table.classes() if c.level == 1)
        return f"use a land-use code of the 2023 scheme (or a sub-code such as 0701): {tops}"
    if target == "status":
        return f"use one of {', '.join(STATUSES)}"
    if target == "supply_method":
        return f"use one of {', '.join(SUPPLY_METHODS)}"
    return "use a value of the field's type"


def _text_pairs(value: object, where: str, source: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise DataFileError(f"{source}: {where} must be an object of text “key”: “value” pairs")
    return dict(value)


def _sections(data: dict, source: str) -> dict:
    odd = sorted(set(data) - set(SECTIONS) - set(IGNORED_KEYS))
    if odd:
        raise DataFileError(f"{source}: unknown mapping sections {', '.join(odd)}; known: "
                            f"{', '.join(SECTIONS)}")
    found = {name: _text_pairs(data.get(name, {}), name, source)
             for name in ("fields", "others", "defaults", "fixed")}
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise DataFileError(f"{source}: values must be an object of target: {{source value: "
                            "value}} tables")
    found["values"] = {target: _text_pairs(pairs, f"values.{target}", source)
                       for target, pairs in values.items()}
    return found


def read_mapping_file(path: Path) -> ImportMapping:
    """A mapping from a JSON or TOML file (new sectioned or old flat format); DataFileError
    naming the file when it cannot be read or is not a valid mapping."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, ValueError) as error:
        raise DataFileError(f"{path.name}: cannot read the field mapping ({error})") from None
    return ImportMapping.from_json(data, path.name)
