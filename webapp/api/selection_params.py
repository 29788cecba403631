"""The parameters of /api/select in the API's registry: a site-selection requirement in the URL
format (webapp.selection.requirement), each parsed by the requirement's own parser."""

from webapp.api.params import Parameter
from webapp.domain.errors import InvalidParameterError
from webapp.domain.messages import N_
from webapp.selection.requirement import MAX_CONSTRAINTS, constraint_parser, number_parser

NUMBER = {"type": "number", "minimum": 0}
CONSTRAINTS = {"type": "array", "maxItems": MAX_CONSTRAINTS,
               "items": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_-]{0,39}:[0-9.]+"
                                                      r"(:(required|preferred))?$"}}
BOOLEANS = {"true": True, "false": False}


def parse_geometry(values: list[str]) -> bool:
    """Whether to include GeoJSON geometries: true or false (default false)."""
    if len(values) > 1:
        raise InvalidParameterError("geometry", N_("given more than once"))
    if not values:
        return False
    if values[0].strip() not in BOOLEANS:
        raise InvalidParameterError("geometry", N_("must be true or false"))
    return BOOLEANS[values[0].strip()]


def selection_parameters() -> list[Parameter]:
    """area_min, area_max, budget_max, far_min, far_max, lease_min, near, far, geometry
    (land_use, street, status and limit are the registry's shared ones)."""
    return [
        Parameter("area_min", "Smallest area wanted, in 亩 (mu; 1 亩 = 666.67 m²).", NUMBER,
                  number_parser("area_min")),
        Parameter("area_max", "Largest area wanted, in 亩.", NUMBER, number_parser("area_max")),
        Parameter("budget_max", "Highest starting price (起始价), in 万元 (10,000 yuan); a "
                  "group's prices are added up.", NUMBER, number_parser("budget_max")),
        Parameter("far_min", "Lowest floor-area ratio wanted: the parcel's permitted range "
                  "must reach it.", NUMBER, number_parser("far_min")),
        Parameter("far_max", "Highest floor-area ratio wanted: the parcel's permitted range "
                  "must start at or below it.", NUMBER, number_parser("far_max")),
        Parameter("lease_min", "Shortest lease term wanted, in years.", NUMBER,
                  number_parser("lease_min")),
        Parameter("near", "LAYER:METRES[:preferred]: a feature of the context layer within "
                  "METRES on the ground (0: inside or touching); required unless :preferred. "
                  f"Repeatable; at most {MAX_CONSTRAINTS} near and far together.",
                  CONSTRAINTS, constraint_parser("near"), explode=True),
        Parameter("far", "LAYER:METRES[:preferred]: every feature of the context layer at "
                  "least METRES away on the ground; required unless :preferred. Repeatable.",
                  CONSTRAINTS, constraint_parser("far"), explode=True),
        Parameter("geometry", "Include each result's and group's GeoJSON geometry (lon/lat).",
                  {"type": "boolean", "default": False}, parse_geometry),
    ]
