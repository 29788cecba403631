"""Frame values as both stores write and compare them: plain Python values, None for missing,
`extra` dicts as one canonical JSON text."""

import json
import math


def plain_value(value: object) -> object:
    """numpy scalars as Python ones; None, NaN, pandas NA and NaT as None."""
    if value is None or type(value) in (str, int):  # the common cases first: 10^6 rows x 24
        return value
    if hasattr(value, "item") and not isinstance(value, dict):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if value != value:  # pandas NA and NaT compare unequal to themselves (or raise)
            return None
    except TypeError:
        return None
    return value


def canonical_json(value: object) -> str:
    """The one JSON text of an `extra` dict (or of JSON text holding one): keys sorted."""
    if not value or value == "{}":  # most parcels: no extra columns (no JSON work per row)
        return "{}"
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)
