"""The land-use code table (2023 用地用海 scheme and GB/T 21010-2017), from bundled CSV data."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from webapp.domain.landuse_palette import landuse_palette

CODES_CSV = Path(__file__).with_name("data") / "landuse_codes.csv"
PRIMARY_SCHEME = "gb2023"
UNKNOWN_COLOR = "#9e9e9e"


@dataclass(frozen=True)
class LandUse:
    """One class of a land-use scheme, with its names and map colour."""

    scheme: str
    code: str
    level: int
    parent: str | None
    name_zh: str
    name_en: str
    color: str
    maps_to: str | None

    def name(self, language: str) -> str:
        """The class name in 'zh' or 'en' (anything else falls back to Chinese)."""
        return self.name_en if language == "en" else self.name_zh

    @property
    def top_code(self) -> str:
        """The first-level class code (the first two digits)."""
        return self.code[:2]


class LandUseTable:
    """Look-ups over the land-use classes of both schemes; parcels store primary-scheme codes."""

    def __init__(self, classes: list[LandUse]) -> None:
        self._by_key = {(c.scheme, c.code): c for c in classes}
        self._palette = landuse_palette(classes)  # shades for sub-classes without a colour
        self._names: dict[tuple[str, str], LandUse] = {}
        for c in classes:
            for name in (c.name_zh, c.name_en.lower()):
                self._names.setdefault((c.scheme, name), c)

    def get(self, code: str, scheme: str = PRIMARY_SCHEME) -> LandUse | None:
        """The class with this code in the scheme, or None."""
        return self._by_key.get((scheme, code))

    def __contains__(self, code: str) -> bool:
        return (PRIMARY_SCHEME, code) in self._by_key

    def classes(self, scheme: str = PRIMARY_SCHEME) -> list[LandUse]:
        """Every class of the scheme, in code order."""
        chosen = (c for c in self._by_key.values() if c.scheme == scheme)
        return sorted(chosen, key=lambda c: c.code)

    def name(self, code: str | None, language: str) -> str:
        """Display name of a primary-scheme code; the code itself when unknown."""
        found = self.get(code) if code else None
        return found.name(language) if found else (code or "—")

    def color(self, code: str | None) -> str:
        """Map colour (landuse_palette) of a primary-scheme code, inherited from the nearest
        known ancestor."""
        while code:
            if (PRIMARY_SCHEME, code) in self._palette:
                return self._palette[(PRIMARY_SCHEME, code)]
            code = code[:-2]
        return UNKNOWN_COLOR

    def top_level(self, code: str) -> LandUse | None:
        """The first-level class a primary-scheme code belongs to."""
        return self.get(code[:2])

    def find(self, value: str, schemes: tuple[str, ...] = (PRIMARY_SCHEME, "gbt21010")
             ) -> LandUse | None:
        """A primary-scheme class for a code or name, trying the schemes in order.

        Codes of the two schemes overlap (0601 is 乡村道路用地 in 2023 but 工业用地 in GB/T
        21010), so a bare code means the 2023 scheme unless `schemes` says otherwise; names
        are unambiguous. GB/T classes are mapped to their 2023 equivalent.
        """
        value = value.strip()
        for scheme in schemes:
            found = self.get(value, scheme) or self._names.get((scheme, value.lower()))
            if found and found.scheme != PRIMARY_SCHEME:
                found = self.get(found.maps_to) if found.maps_to else None
            if found:
                return found
        return None


def _read_row(row: dict[str, str]) -> LandUse:
    return LandUse(
        scheme=row["scheme"],
        code=row["code"],
        level=int(row["level"]),
        parent=row["parent"] or None,
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        color=row["color"],
        maps_to=row["maps_to"] or None,
    )


@cache
def load_landuse_table(path: Path = CODES_CSV) -> LandUseTable:
    """Read the bundled code table (cached: it is immutable data)."""
    with path.open(encoding="utf-8", newline="") as f:
        return LandUseTable([_read_row(row) for row in csv.DictReader(f)])
