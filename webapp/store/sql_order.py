"""ORDER BY clauses of the parcel list's sort orders, the same SQL for SQLite and PostgreSQL.

Every clause is a constant chosen by a parsed sort key (webapp.domain.parcel_order): no request
text reaches the SQL. Empty values sort last either way; code and id break ties.
"""

# Availability first: what an investor can still get, then what may become free, then sold
# (every status of webapp.domain.parcel.STATUSES; a test keeps them so).
STATUS_RANK = ("available", "negotiating", "reserve", "sold")
_RANK_SQL = ("CASE status " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUS_RANK))
             + f" ELSE {len(STATUS_RANK)} END")
_TIE = "code, id"

ORDER_SQL: dict[str, str] = {
    "status": f"{_RANK_SQL}, {_TIE}",
    "code": _TIE,
    "area": f"area_m2, {_TIE}",
    "-area": f"area_m2 DESC, {_TIE}",
    "price": f"price_start_wan IS NULL, price_start_wan, {_TIE}",
    "-price": f"price_start_wan IS NULL, price_start_wan DESC, {_TIE}",
    "updated": f"updated_at IS NULL, updated_at, {_TIE}",
    "-updated": f"updated_at IS NULL, updated_at DESC, {_TIE}",
}


def order_by(sort: str, id_column: str = "id") -> str:
    """The ORDER BY clause (without the keywords) of a sort key; KeyError for an unknown one.

    id_column names the row id (GeoPackage calls it fid)."""
    sql = ORDER_SQL[sort]
    return sql[: -len(", id")] + f", {id_column}" if sql.endswith(", id") else sql
