"""OpenAPI 3.0 schemas of the /api/select answer (components/schemas: Selection and its parts)."""

STRING = {"type": "string"}
NUMBER = {"type": "number"}
INTEGER = {"type": "integer", "minimum": 0}
NULLABLE_NUMBER = {"type": "number", "nullable": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], properties: dict, **extra) -> dict:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _scored() -> dict:
    return {"score": {"type": "number", "minimum": 0, "maximum": 100,
                      "description": "0-100: 100 × points earned ÷ scored criteria"},
            "reasons": _array(_ref("SelectionReason")),
            "distances": {"type": "object", "description": "Per context layer of the "
                          "requirement: the nearest feature, null when unknown",
                          "additionalProperties": _ref("SelectionDistance")}}


def selection_schemas() -> dict:
    """Selection, SelectionResult, SelectionGroup, SelectionReason, SelectionDistance."""
    reason = _obj(["code", "outcome", "text", "values"], {
        "code": {"type": "string", "enum": ["area", "price", "floor_area_ratio", "lease",
                                            "distance", "group"]},
        "outcome": {"type": "string", "enum": ["meets", "unknown", "misses"]},
        "text": {"type": "string", "description": "In the request's language"},
        "values": {"type": "object", "description": "The figures the text is made of; units "
                                                    "in the keys (_m, _mu, _wan, _pct)"},
        "points": {"type": "number", "minimum": 0, "maximum": 1, "nullable": True}})
    distance = _obj(["distanceM", "featureId"], {
        "distanceM": {"type": "number", "minimum": 0, "description": "Metres on the ground"},
        "featureId": {"type": "integer"}, "featureName": {"type": "string", "nullable": True}},
        nullable=True)
    geometry = {"type": "object", "nullable": True, "description": "GeoJSON, lon/lat "
                                                                   "(geometry=true only)"}
    result = _obj(["rank", "id", "code", "score", "reasons", "distances"], {
        "rank": INTEGER, "id": {"type": "integer"}, "code": STRING,
        "name": {"type": "string", "nullable": True}, "landUse": STRING,
        "street": {"type": "string", "nullable": True}, "status": STRING, "areaMu": NUMBER,
        "priceStartWan": NULLABLE_NUMBER, "geometry": geometry, **_scored()})
    member = _obj(["id", "code", "areaMu"], {"id": {"type": "integer"}, "code": STRING,
                                             "areaMu": NUMBER})
    group = _obj(["rank", "parcels", "areaMu", "outlineAreaMu", "score", "reasons"], {
        "rank": INTEGER, "parcels": _array(member), "areaMu": NUMBER, "outlineAreaMu": NUMBER,
        "description": _ref("SelectionReason"), "geometry": geometry, **_scored()})
    selection = _obj(["requirement", "tooBroad", "numberCandidates", "numberMatched",
                      "numberReturned", "results", "groups", "links"], {
        "requirement": _obj(["query"], {"query": STRING}, additionalProperties=True),
        "tooBroad": {"type": "boolean", "description": "More parcels match the land use, area, "
                     "streets and status than are ranked: narrow the requirement"},
        "numberCandidates": INTEGER,
        "numberMatched": {"type": "integer", "minimum": 0, "nullable": True},
        "numberReturned": INTEGER,
        "results": _array(_ref("SelectionResult")), "groups": _array(_ref("SelectionGroup")),
        "groupsTooBroad": {"type": "boolean"},
        "rejected": {"type": "object", "additionalProperties": INTEGER,
                     "description": "What first excluded the other candidates, and how many"},
        "advice": {"type": "string", "nullable": True},
        "links": _array(_ref("Link"))})
    return {"Selection": selection, "SelectionResult": result, "SelectionGroup": group,
            "SelectionReason": reason, "SelectionDistance": distance}
