"""District summaries of a PostGISStore (bounds, land-use breakdown) kept until parcels change.

At 10^5-10^6 parcels the map page's bounds and breakdown each read every published row (tens to
hundreds of milliseconds a page view). They change only when parcels do, so answers are kept in
`landgis_summary_cache`, tagged with the generation in `landgis_state`. A statement trigger on
the parcel table bumps the generation in the writing transaction, whoever writes (landgis, or
QGIS editing the table directly), so an answer of an older generation is never used; every
server process shares the kept answers. Filters cache_keys.summary_key leaves out, and filters
naming a street no parcel has, are answered fresh; the kept answers are bounded in rows and bytes
(CacheLimits), filtered views dropped first.
"""

import json
from collections.abc import Callable
from typing import Any

import psycopg

from webapp.domain.filters import ParcelFilter
from webapp.store.cache_keys import CacheLimits, KnownStreets, summary_key, unfiltered_keys
from webapp.store.postgis.database import PostGISDatabase, first_row
from webapp.store.postgis.generation import generation_statements
from webapp.store.postgis.location import PostGISLocation
from webapp.store.tables import PARCELS, SUMMARY_CACHE

STATE = "landgis_state"
BUMP_FUNCTION = "landgis_bump_generation"
TRIGGER = "landgis_parcels_changed"


def summary_statements(location: PostGISLocation) -> list[str]:
    """The tables, function and trigger of the summary cache (idempotent). The function runs
    as its owner (SECURITY DEFINER), so a role that may edit parcels but not landgis's own
    tables can still edit them."""
    parcels, state = location.table(PARCELS), location.table(STATE)
    cache, bump = location.table(SUMMARY_CACHE), location.table(BUMP_FUNCTION)
    return [
        *generation_statements(state, bump, TRIGGER, parcels),
        f"CREATE TABLE IF NOT EXISTS {cache} (name text NOT NULL, filter_key text NOT NULL, "
        "generation bigint NOT NULL, value jsonb NOT NULL, PRIMARY KEY (name, filter_key))",
    ]


class PostGISSummaryCache:
    """Summaries remembered in the store's schema, read and written with single-statement
    connections of `database`; filters naming streets known_streets does not know are
    answered fresh."""

    def __init__(self, database: PostGISDatabase, known_streets: KnownStreets) -> None:
        self.database = database
        self.known_streets = known_streets
        self.limits = CacheLimits()  # the app sets the configured ones (webapp.services)
        location = database.location
        self._read_sql = (
            f"SELECT c.value, s.generation = c.generation, s.generation "
            f"FROM {location.table(STATE)} s LEFT JOIN "
            f"{location.table(SUMMARY_CACHE)} c ON c.name = %s AND c.filter_key = %s "
            "WHERE s.id = 1")
        self._put_sql = (
            f"INSERT INTO {location.table(SUMMARY_CACHE)} "
            "(name, filter_key, generation, value) "
            f"SELECT %s, %s, %s, %s FROM {location.table(STATE)} "
            "WHERE id = 1 AND generation = %s "
            "ON CONFLICT (name, filter_key) DO UPDATE SET generation = EXCLUDED.generation, "
            "value = EXCLUDED.value")
        self._forget_sql = (f"DELETE FROM {location.table(SUMMARY_CACHE)} "
                            "WHERE generation <> %s")
        self._totals_sql = (f"SELECT count(*), COALESCE(sum(octet_length(filter_key) + "
                            f"octet_length(value::text)), 0) "
                            f"FROM {location.table(SUMMARY_CACHE)}")
        self._drop_sql = f"DELETE FROM {location.table(SUMMARY_CACHE)} WHERE "
        self._room_steps = (("filter_key <> ALL(%s)", (list(unfiltered_keys()),)),
                            ("true", ()))

    def get(self, name: str, parcel_filter: ParcelFilter, compute: Callable[[], Any],
            to_json: Callable[[Any], Any], from_json: Callable[[Any], Any],
            keep_any: bool = False) -> Any:
        """The kept answer of the current generation, else compute() (and keep it)."""
        key = summary_key(parcel_filter, keep_any)
        if key is None:
            return compute()
        try:
            with self.database.autocommit() as conn:
                value, current, generation = first_row(conn.execute(self._read_sql, (name, key)))
        except psycopg.errors.UndefinedTable:  # a schema from before the cache: ensure_schema
            return compute()
        if current:
            return from_json(value)
        answer = compute()  # read after the generation: a write since then is not kept
        if self.known_streets.cover(parcel_filter, generation):
            self._put(name, key, generation, json.dumps(to_json(answer), ensure_ascii=False))
        return answer

    def _put(self, name: str, key: str, generation: int, value: str) -> None:
        limits = self.limits
        incoming_bytes = len(key.encode()) + len(value.encode())
        with self.database.autocommit() as conn:
            for where, params in self._room_steps:  # filtered views go first, then all
                rows, size = first_row(conn.execute(self._totals_sql))
                if rows < limits.summary_rows and size + incoming_bytes <= limits.summary_bytes:
                    break
                conn.execute(self._drop_sql + where, params)
            stored = conn.execute(self._put_sql, (name, key, generation, value, generation))
            if stored.rowcount:
                conn.execute(self._forget_sql, (generation,))
