"""Parameterised SQL WHERE clauses of parcel and change filters, for SQLite and PostgreSQL alike
(the placeholder is a parameter: `?` for sqlite3, `%s` for psycopg)."""

from webapp.domain.audit import ChangeFilter
from webapp.domain.filters import ParcelFilter
from webapp.domain.units import mu_to_m2

SUBCLASS_DIGITS = "9" * 8  # longer than any sub-class suffix of a land-use code


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _any_of(column: str, values: tuple[str, ...], mark: str) -> str:
    return f"{column} IN ({', '.join([mark] * len(values))})"


def where_clause(parcel_filter: ParcelFilter, bbox_sql: str | None = None,
                 mark: str = "?", text_like: str = "LIKE") -> tuple[str, list]:
    """(sql, params) selecting the filter's parcels; bbox_sql tests a bbox given as 4 params
    (minx, miny, maxx, maxy), repeated in that order for each further 4 marks it holds.

    text_like is the operator of the free-text search: SQLite's LIKE ignores ASCII case, so
    PostgreSQL passes ILIKE to match it.
    """
    clauses: list[str] = []
    params: list[object] = []
    if not parcel_filter.include_drafts:
        clauses.append("published = 1")
    if parcel_filter.land_uses:
        # A code matches itself and its sub-classes: codes are digits, so "1001" covers the
        # range "1001" … "1001" + "9"s — a range an index can serve (LIKE 'x%' is not).
        clauses.append("(" + " OR ".join(
            f"land_use BETWEEN {mark} AND {mark}" for _ in parcel_filter.land_uses) + ")")
        for code in parcel_filter.land_uses:
            params += [code, code + SUBCLASS_DIGITS]
    for column, values in (("street", parcel_filter.streets), ("status", parcel_filter.statuses)):
        if values:
            clauses.append(_any_of(column, values, mark))
            params += list(values)
    if parcel_filter.area_min_mu is not None:
        clauses.append(f"area_m2 >= {mark}")
        params.append(mu_to_m2(parcel_filter.area_min_mu))
    if parcel_filter.area_max_mu is not None:
        clauses.append(f"area_m2 <= {mark}")
        params.append(mu_to_m2(parcel_filter.area_max_mu))
    if parcel_filter.text:
        pattern = "%" + _escape_like(parcel_filter.text) + "%"
        clauses.append(f"(code {text_like} {mark} ESCAPE '\\' OR name {text_like} {mark} "
                       f"ESCAPE '\\' OR location {text_like} {mark} ESCAPE '\\')")
        params += [pattern, pattern, pattern]
    if parcel_filter.bbox and bbox_sql:
        clauses.append(bbox_sql)  # names the box as (minx, miny, maxx, maxy), once or more
        params += list(parcel_filter.bbox) * (bbox_sql.count(mark) // 4)
    return (" AND ".join(clauses) or "1 = 1"), params


def change_where(change_filter: ChangeFilter, mark: str = "?") -> tuple[str, list]:
    """(sql, params) selecting the filter's audit records."""
    clauses: list[str] = []
    params: list[object] = []
    for column, value in (("parcel_id", change_filter.parcel_id),
                          ("parcel_code", change_filter.parcel_code),
                          ("field", change_filter.field), ("actor", change_filter.actor),
                          ("source", change_filter.source)):
        if value is not None:
            clauses.append(f"{column} = {mark}")
            params.append(value)
    if change_filter.since:
        clauses.append(f"changed_at >= {mark}")
        params.append(change_filter.since.isoformat())
    if change_filter.until:
        clauses.append(f"changed_at < {mark}")
        params.append(change_filter.until_exclusive())
    if change_filter.after_version is not None:
        clauses.append(f"version > {mark}")
        params.append(change_filter.after_version)
    return " AND ".join(clauses) or "1 = 1", params
