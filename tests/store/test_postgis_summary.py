"""District summaries kept in the PostGIS schema: a trigger on the parcel table notices every
write, whoever writes (what every backend's kept summaries do is in test_summary_contract.py)."""

from tests.store.layout_version import record_layout_version
from webapp.domain.filters import ParcelFilter
from webapp.store.postgis.summary import STATE, TRIGGER
from webapp.store.tables import SUMMARY_CACHE


def kept(store) -> list[str]:
    with store.database.transaction() as conn:
        return [row[0] for row in conn.execute(
            f"SELECT name FROM {store.location.table(SUMMARY_CACHE)} ORDER BY name")]


def generation(store) -> int:
    with store.database.transaction() as conn:
        return conn.execute(f"SELECT generation FROM {store.location.table(STATE)}"
                            ).fetchone()[0]


def test_a_write_outside_landgis_makes_the_next_answer_fresh(pg):
    """QGIS (or psql) editing the parcel table directly: the trigger notices."""
    pg.landuse_breakdown()
    before = generation(pg)
    with pg.database.transaction() as conn:
        conn.execute(f"UPDATE {pg.parcels} SET land_use = '0701'")
    assert generation(pg) == before + 1
    assert [(s.land_use, s.count) for s in pg.landuse_breakdown()] == [("0701", 4)]


def test_a_write_outside_landgis_that_changes_nothing_still_forgets_older_answers(pg):
    pg.bounds(ParcelFilter(land_uses=("14",)))
    with pg.database.transaction() as conn:
        conn.execute(f"UPDATE {pg.parcels} SET status = status")
    pg.bounds()
    assert kept(pg) == ["bounds"]


def test_a_schema_from_before_the_cache_answers_fresh_then_gets_it(pg):
    with pg.database.transaction() as conn:
        conn.execute(f"DROP TRIGGER {TRIGGER} ON {pg.parcels}")
        conn.execute(f"DROP TABLE {pg.location.table(SUMMARY_CACHE)}, "
                     f"{pg.location.table(STATE)}")
    record_layout_version(pg, 1)  # as a store of the release before the cache recorded
    assert pg.bounds() == pg.summaries.compute_bounds(ParcelFilter())
    pg.ensure_schema()
    assert pg.landuse_breakdown() == pg.summaries.compute_breakdown(ParcelFilter())
    assert kept(pg) == ["landuse_breakdown"]
    pg.ensure_schema()  # again: nothing to add, no second trigger
    with pg.database.transaction() as conn:
        triggers = conn.execute("SELECT COUNT(*) FROM pg_trigger WHERE tgname = %s AND "
                                "tgrelid = %s::regclass", (TRIGGER, pg.parcels)).fetchone()[0]
    assert triggers == 1
