"""Every API request parameter, parsed once: one parser per parameter, one registry.

The registry also feeds the OpenAPI document (webapp.api.openapi), so what is documented is
exactly what is parsed. Unknown query parameters and invalid values raise InvalidParameterError
(400); a tile outside the grid raises NotFoundError (404). Header parameters (If-Match) are
declared and parsed the same way.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import gettext

from webapp.api.cursors import MAX_CURSOR_LENGTH, PageCursor, decode_cursor
from webapp.config import LANGUAGES
from webapp.domain.errors import InvalidParameterError, NotFoundError
from webapp.domain.filters import (
    MAX_TEXT_LENGTH,
    parse_bbox,
    parse_land_uses,
    parse_number,
    parse_statuses,
    parse_text,
)
from webapp.domain.landuse import load_landuse_table
from webapp.domain.messages import N_
from webapp.domain.parcel import STATUSES
from webapp.tiles.grid import MAX_ZOOM, TileAddress, TileNotFoundError

DEFAULT_LIMIT = 100
MAX_LIMIT = 10000
MAX_OFFSET = 1_000_000_000
WHOLE_NUMBER = re.compile(r"\+?[0-9]+")
HUGE = 10**18  # stands for any longer number (Python refuses to parse 4300+ digits)
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    """One request parameter: its OpenAPI description and the function that parses its values."""

    name: str
    description: str
    schema: dict
    parse: Callable[[list[str]], Any]
    location: str = "query"
    explode: bool | None = None

    def openapi(self) -> dict:
        """The OpenAPI 3.0 parameter object."""
        spec = {"name": self.name, "in": self.location, "description": self.description,
                "required": self.location == "path", "schema": self.schema}
        if self.explode is not None:
            spec |= {"style": "form", "explode": self.explode}
        return spec


def _one(name: str, values: list[str]) -> str | None:
    """The one value of a parameter (stripped; empty is a value too), None when absent."""
    if len(values) > 1:
        raise InvalidParameterError(name, N_("given more than once"))
    return values[0].strip() if values else None


def _whole_number(name: str, value: str, minimum: int, maximum: int | None = None) -> int:
    if not WHOLE_NUMBER.fullmatch(value):
        raise InvalidParameterError(name, N_("must be a whole number ≥ %(minimum)s"),
                                    minimum=minimum)
    digits = value.lstrip("+").lstrip("0") or "0"
    number = HUGE if len(digits) > len(str(HUGE)) else int(digits)
    if number < minimum:
        raise InvalidParameterError(name, N_("must be a whole number ≥ %(minimum)s"),
                                    minimum=minimum)
    if maximum is not None and number > maximum:
        raise InvalidParameterError(name, N_("must be at most %(maximum)s"), maximum=maximum)
    return number


def _choice(name: str, allowed: tuple[str, ...]) -> Callable[[list[str]], str | None]:
    def parse(values: list[str]) -> str | None:
        value = _one(name, values)
        if value is not None and value not in allowed:
            raise InvalidParameterError(name, N_("must be one of %(allowed)s"),
                                        allowed=", ".join(allowed))
        return value
    return parse


def parse_limit(values: list[str]) -> int:
    """Page size: 1 or more (default 100); above 10000 is treated as 10000, not refused."""
    value = _one("limit", values)
    return DEFAULT_LIMIT if value is None else min(_whole_number("limit", value, 1), MAX_LIMIT)


def parse_offset(values: list[str]) -> int:
    """How many matching parcels to skip (0 or more)."""
    value = _one("offset", values)
    return 0 if value is None else _whole_number("offset", value, 0, MAX_OFFSET)


def parse_cursor(values: list[str]) -> PageCursor | None:
    """Where a keyset page continues (the token of a `next` link), or None."""
    value = _one("cursor", values)
    return None if value is None else decode_cursor(value, MAX_OFFSET)


def parse_bbox_values(values: list[str]) -> tuple[float, float, float, float] | None:
    """A CRS84 bounding box (4 or 6 numbers), or None."""
    value = _one("bbox", values)
    return None if value is None else parse_bbox(value)


def _is_instant(text: str) -> bool:
    if not DATE_TIME.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def parse_datetime(values: list[str]) -> str | None:
    """An RFC 3339 instant or interval; parcels have no time, so every parcel matches it."""
    value = _one("datetime", values)
    if value is None:
        return None
    ends = value.split("/")
    valid = (_is_instant(value) if len(ends) == 1 else len(ends) == 2 and value != "/" and all(
        end in ("", "..") or _is_instant(end) for end in ends))
    if not valid:
        raise InvalidParameterError("datetime", N_("“%(value)s” is not an RFC 3339 date-time "
                                                   "or interval"), value=value)
    return value


def _area(name: str) -> Callable[[list[str]], float | None]:
    def parse(values: list[str]) -> float | None:
        value = _one(name, values)
        return None if value is None else parse_number(name, value)
    return parse


def parse_streets(values: list[str]) -> tuple[str, ...]:
    """Street names, comma-separated or repeated."""
    return tuple(dict.fromkeys(v.strip() for value in values for v in value.split(",")
                               if v.strip()))


def parse_tile_index(name: str) -> Callable[[list[str]], int]:
    """A tile matrix, row or column path segment: a whole number (its range is checked later)."""
    return lambda values: _whole_number(name, values[0], 0)


def tile_address(z: int, y: int, x: int) -> TileAddress:
    """The tile at tile matrix z, row y, column x, or NotFoundError outside the grid."""
    try:
        return TileAddress(z, x, y)
    except TileNotFoundError:
        raise NotFoundError(gettext("There is no tile %(z)s/%(y)s/%(x)s (z/row/column) in the "
                                    "WebMercatorQuad grid.", z=z, y=y, x=x)) from None


def text_search_min_zoom(text: str | None) -> int:
    """Lowest zoom of tiles filtered by text (TEXT_SEARCH_MIN_ZOOM); 0 without text."""
    return current_app.config["TEXT_SEARCH_MIN_ZOOM"] if text else 0


def below_text_search_zoom(query: Mapping[str, Any]) -> bool:
    """Whether a tile request filters by text (q) below TEXT_SEARCH_MIN_ZOOM: such a tile would
    search every parcel under it, and no cache keeps searches; it is answered empty."""
    return query["z"] < text_search_min_zoom(query.get("q"))


def _codes() -> list[str]:
    return [c.code for c in load_landuse_table().classes()]


def _list_of(items: dict) -> dict:
    return {"type": "array", "items": items}


def _general_parameters() -> list[Parameter]:
    return [
        Parameter("f", "Response format (default: by the Accept header, else JSON).",
                  {"type": "string", "enum": ["json", "html"]}, _choice("f", ("json", "html"))),
        Parameter("lang", "Language of HTML pages and error messages (default zh).",
                  {"type": "string", "enum": list(LANGUAGES)}, _choice("lang", LANGUAGES)),
        Parameter("limit", f"Most features in one response (default {DEFAULT_LIMIT}; values "
                  f"above {MAX_LIMIT} are treated as {MAX_LIMIT}).",
                  {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT}, parse_limit),
        Parameter("offset", "Number of matching features to skip (paging; follow the `next` "
                  "link).", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET,
                             "default": 0}, parse_offset),
        Parameter("cursor", "Where the page continues: an opaque token of the `next` link "
                  "(keyset paging; follow the link as given). Not together with offset.",
                  {"type": "string", "maxLength": MAX_CURSOR_LENGTH}, parse_cursor),
        Parameter("bbox", "Only features that intersect this box: minlon,minlat,maxlon,maxlat "
                  "(CRS84; 6 numbers with heights are accepted).",
                  {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                  parse_bbox_values, explode=False),
        Parameter("datetime", "RFC 3339 date-time or interval. Parcels carry no time, so it "
                  "selects every parcel (OGC API - Features requirement).",
                  {"type": "string"}, parse_datetime),
    ]


def _filter_parameters() -> list[Parameter]:
    area = {"type": "number", "minimum": 0}
    return [
        Parameter("land_use", "Land-use codes (2023 用地用海 scheme), comma-separated; a code "
                  "also matches its sub-classes (10 matches 1001 and 100101).",
                  _list_of({"type": "string", "enum": _codes()}),
                  lambda values: parse_land_uses(values, load_landuse_table()), explode=False),
        Parameter("street", "Streets (街道), comma-separated, exact names.",
                  _list_of({"type": "string"}), parse_streets, explode=False),
        Parameter("status", "Statuses, comma-separated.",
                  _list_of({"type": "string", "enum": list(STATUSES)}), parse_statuses,
                  explode=False),
        Parameter("area_min_mu", "Smallest area in 亩 (mu; 1 亩 = 666.67 m²).", area,
                  _area("area_min_mu")),
        Parameter("area_max_mu", "Largest area in 亩 (mu).", area, _area("area_max_mu")),
        Parameter("q", "Text in the parcel code, name or location.",
                  {"type": "string", "maxLength": MAX_TEXT_LENGTH}, parse_text),
    ]


def parse_if_match(values: list[str]) -> str | None:
    """The If-Match header (several fields joined by commas, as HTTP reads them), or None."""
    return ", ".join(value.strip() for value in values) if values else None


def _header_parameters() -> list[Parameter]:
    return [
        Parameter("If-Match", "The ETag of the parcel as last read (GET it first): the change "
                  "is made only if the parcel is still at that version (412 otherwise; 428 "
                  "without it while version checks are on).",
                  {"type": "string"}, parse_if_match, location="header"),
    ]


def _path_parameters() -> list[Parameter]:
    return [
        Parameter("feature_id", "Feature id (a number) or parcel code (宗地编号).",
                  {"type": "string"}, lambda values: values[0], location="path"),
        Parameter("collection_id", "A context layer's name (roads, river, interchanges...: "
                  "see /collections; `parcels` has its own paths).",
                  {"type": "string"}, lambda values: values[0], location="path"),
        Parameter("context_feature_id", "Id of a feature of the context layer (a whole "
                  "number).", {"type": "integer", "minimum": 1}, lambda values: values[0],
                  location="path"),
        Parameter("z", "Tile matrix (zoom level) of WebMercatorQuad.",
                  {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM}, parse_tile_index("z"),
                  location="path"),
        Parameter("y", "Tile row (counted from the north).",
                  {"type": "integer", "minimum": 0}, parse_tile_index("y"), location="path"),
        Parameter("x", "Tile column (counted from the west).",
                  {"type": "integer", "minimum": 0}, parse_tile_index("x"), location="path"),
    ]


FILTERS = ("land_use", "street", "status", "area_min_mu", "area_max_mu", "q")


@cache
def parameters() -> dict[str, Parameter]:
    """The registry of every API parameter, by name (built on first use)."""
    from webapp.api.selection_params import selection_parameters  # it builds on Parameter

    return {p.name: p for p in (*_general_parameters(), *_filter_parameters(),
                                *_path_parameters(), *_header_parameters(),
                                *selection_parameters())}


def _raw_values(parameter: Parameter, args, path_values: Mapping[str, str], headers
                ) -> list[str]:
    if parameter.location == "path":
        return [path_values[parameter.name]]
    if parameter.location == "header":
        return headers.getlist(parameter.name) if headers is not None else []
    return args.getlist(parameter.name)


def parse_request(names: tuple[str, ...], args, path_values: Mapping[str, str],
                  headers=None) -> dict[str, Any]:
    """Parse the declared parameters of a request (query, path and header); any other query
    parameter is refused, other headers are not looked at."""
    registry = parameters()
    declared = set(names)
    for name in args:
        if name not in declared or registry[name].location != "query":
            raise InvalidParameterError(name, N_("unknown parameter; this address accepts "
                                                 "%(allowed)s"),
                                        allowed=", ".join(n for n in names
                                                          if registry[n].location == "query"))
    return {name: registry[name].parse(_raw_values(registry[name], args, path_values, headers))
            for name in names}
