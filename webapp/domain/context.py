"""Context layers: what lies around the parcels (roads, the river, interchanges, ports, stations,
street (街道) boundaries, parks), named layers staff import so investors can tell where a parcel
is (with no basemap too) and site selection can measure distances to them.

A layer has a name (its id in URLs and the API: lowercase letters, digits, `-` and `_`), a title
in the district's words and a kind (CONTEXT_KINDS), which fixes how it is drawn. Its features
carry a name (马鞍山东 interchange) and a class (G205, expressway, ...), both optional text.
Distances are measured in the CGCS2000 3-degree Gauss-Kruger zone of the layer (distance_epsg),
metres on the ground, never in degrees.
"""

import re
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_

LAYER_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}\Z")  # \Z: no newline after it
RESERVED_NAMES = frozenset({"parcels", "context", "select"})  # collection ids already in use
MAX_TITLE_LENGTH = 80
FAMILIES = ("line", "point", "polygon")


@dataclass(frozen=True)
class ContextKind:
    """How a kind of context feature is drawn: its geometry family, colour and line width."""

    key: str
    label_zh: str
    label_en: str
    family: str  # line, point or polygon
    colour: str  # #rrggbb
    width: float = 2.0  # line width or outline width in pixels


CONTEXT_KINDS: dict[str, ContextKind] = {k.key: k for k in (
    ContextKind("expressway", "高速公路", "Expressway", "line", "#e8590c", 4.0),
    ContextKind("national_road", "国道", "National road", "line", "#f08c00", 3.0),
    ContextKind("road", "道路", "Road", "line", "#868e96", 2.0),
    ContextKind("railway", "铁路", "Railway", "line", "#495057", 2.0),
    ContextKind("river", "河流", "River", "polygon", "#74c0fc", 1.0),
    ContextKind("riverbank", "岸线", "River bank", "line", "#1971c2", 2.5),
    ContextKind("riverside_belt", "沿江带", "Riverside belt", "polygon", "#a5d8ff", 1.0),
    ContextKind("interchange", "高速互通", "Interchange", "point", "#d9480f", 2.0),
    ContextKind("port", "港口码头", "Port", "point", "#1864ab", 2.0),
    ContextKind("station", "车站", "Station", "point", "#5f3dc4", 2.0),
    ContextKind("street_boundary", "街道界线", "Street boundary", "polygon", "#7950f2", 1.5),
    ContextKind("park", "公园绿地", "Park", "polygon", "#8ce99a", 1.0),
    ContextKind("residential", "居住区", "Residential area", "polygon", "#ffc9c9", 1.0),
    ContextKind("other", "其他", "Other", "polygon", "#adb5bd", 1.0),
)}


@dataclass(frozen=True)
class ContextLayer:
    """One named context layer; feature_count, bounds and the import fields are the store's."""

    name: str
    title: str
    kind: str
    feature_count: int = 0
    bounds: tuple[float, float, float, float] | None = None  # lon/lat
    distance_epsg: int | None = None  # projected CRS its distances are measured in
    imported_at: str | None = None  # ISO 8601 UTC
    imported_by: str | None = None
    source: str | None = None  # the file it came from

    @property
    def family(self) -> str:
        """line, point or polygon (from its kind)."""
        return CONTEXT_KINDS[self.kind].family


@dataclass(frozen=True)
class ContextFeature:
    """One feature of a context layer; geometry in lon/lat (EPSG:4326)."""

    id: int
    layer: str
    name: str | None
    feature_class: str | None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True)
class Nearest:
    """The feature of a layer nearest to a parcel and the ground distance between them in
    metres (0 when they touch or the parcel lies inside it)."""

    distance_m: float
    feature_id: int
    feature_name: str | None


def check_layer(name: str, title: str, kind: str) -> None:
    """InvalidEditError unless the layer's name, title and kind can be stored."""
    problems: dict[str, tuple[str, dict[str, object]]] = {}
    if not LAYER_NAME.match(name or "") or name in RESERVED_NAMES:
        problems["name"] = (N_("layer name “%(value)s” must be 1-40 lowercase letters, digits, "
                               "“-” or “_”, and not parcels, context or select"), {"value": name})
    if not (title or "").strip() or len(title) > MAX_TITLE_LENGTH:
        problems["title"] = (N_("a layer title needs 1-%(maximum)s characters"),
                             {"maximum": MAX_TITLE_LENGTH})
    if kind not in CONTEXT_KINDS:
        problems["kind"] = (N_("unknown layer kind “%(value)s”; one of %(kinds)s"),
                            {"value": kind, "kinds": ", ".join(CONTEXT_KINDS)})
    if problems:
        raise InvalidEditError(problems)


def distance_epsg(lon: float) -> int:
    """The CGCS2000 3-degree Gauss-Kruger CRS (central meridian form, EPSG:4534 at 75 E to
    EPSG:4554 at 135 E) whose central meridian is nearest to lon: its scale error stays under
    0.03 % within 1.5 degrees of the meridian, far inside the 1 % distances may be off."""
    meridian = min(max(round((lon - 75.0) / 3.0), 0), 20)
    return 4534 + meridian
