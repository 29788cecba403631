"""District summaries kept in the PostGIS schema: reused until parcels change, whoever changes
them, never stale."""

import pytest

from tests.store.conftest import prepared_small
from tests.store.postgis_fixtures import _with_schema
from webapp.domain.filters import ParcelFilter
from webapp.store.postgis import PostGISStore
from webapp.store.postgis.summary import STATE, TRIGGER
from webapp.store.tables import SUMMARY_CACHE


def kept(store) -> list[tuple[str, str]]:
    with store.database.transaction() as conn:
        return conn.execute(f"SELECT name, filter_key FROM "
                            f"{store.location.table(SUMMARY_CACHE)} ORDER BY name").fetchall()


def generation(store) -> int:
    with store.database.transaction() as conn:
        return conn.execute(f"SELECT generation FROM {store.location.table(STATE)}"
                            ).fetchone()[0]


def another_process(store) -> PostGISStore:
    return PostGISStore(_with_schema(store.location.conninfo, store.location.schema))


@pytest.fixture
def pg_other(pg):
    other = another_process(pg)
    yield other
    other.close()


def test_an_import_keeps_the_public_summaries_ready(pg):
    assert [name for name, _ in kept(pg)] == ["bounds", "landuse_breakdown"]


def test_kept_answers_are_the_computed_ones_and_shared(pg, pg_other):
    assert pg_other.bounds() == pg.summaries.compute_bounds(ParcelFilter())
    assert pg_other.landuse_breakdown() == pg.summaries.compute_breakdown(ParcelFilter())
    use = ParcelFilter(land_uses=("14",))
    assert pg.bounds(use) == pg.summaries.compute_bounds(use)
    assert len(kept(pg)) == 3 and pg_other.bounds(use) == pg.summaries.compute_bounds(use)


def test_an_edit_makes_the_next_answer_fresh(pg, pg_other):
    parcel = pg.get("T-001")
    before = {s.land_use: s.count for s in pg_other.landuse_breakdown()}
    new_use = next(code for code in ("0701", "0901", "1001") if code != parcel.land_use)
    pg.update_parcel(parcel.id, {"land_use": new_use}, parcel.version, "ada", "form")
    after = {s.land_use: s.count for s in pg_other.landuse_breakdown()}
    assert after == {s.land_use: s.count for s in pg.summaries.compute_breakdown(ParcelFilter())}
    assert after.get(new_use, 0) == before.get(new_use, 0) + 1


def test_unpublishing_changes_the_kept_bounds(pg):
    whole = pg.bounds()
    for parcel in pg.query(ParcelFilter()).parcels[1:]:
        pg.update_parcel(parcel.id, {"published": False}, parcel.version, "ada", "form")
    assert pg.bounds() != whole
    assert pg.bounds() == pg.summaries.compute_bounds(ParcelFilter())


def test_a_write_outside_landgis_makes_the_next_answer_fresh(pg):
    """QGIS (or psql) editing the parcel table directly: the trigger notices."""
    pg.landuse_breakdown()
    before = generation(pg)
    with pg.database.transaction() as conn:
        conn.execute(f"UPDATE {pg.parcels} SET land_use = '0701'")
    assert generation(pg) == before + 1
    assert [(s.land_use, s.count) for s in pg.landuse_breakdown()] == [("0701", 4)]


def test_an_upsert_and_a_reimport_make_the_next_answer_fresh(pg):
    pg.bounds()
    frame = prepared_small().iloc[[0]].copy()
    frame["geometry"] = frame.geometry.translate(xoff=0.5)
    pg.upsert(frame)
    assert pg.bounds() == pg.summaries.compute_bounds(ParcelFilter())
    pg.replace_all(prepared_small().iloc[1:])
    assert pg.bounds() == pg.summaries.compute_bounds(ParcelFilter())
    assert sum(s.count for s in pg.landuse_breakdown()) == 3


@pytest.mark.parametrize("parcel_filter", [
    ParcelFilter(text="T-00"), ParcelFilter(bbox=(100.0, 20.0, 130.0, 40.0)),
    ParcelFilter(area_min_mu=1.0), ParcelFilter(area_max_mu=1e6)])
def test_free_text_bbox_and_area_filters_are_answered_fresh(pg, parcel_filter):
    before = kept(pg)
    assert pg.bounds(parcel_filter) == pg.summaries.compute_bounds(parcel_filter)
    assert pg.landuse_breakdown(parcel_filter) == pg.summaries.compute_breakdown(parcel_filter)
    assert kept(pg) == before


def test_answers_of_older_generations_are_forgotten_when_new_ones_are_kept(pg):
    pg.bounds(ParcelFilter(land_uses=("14",)))
    with pg.database.transaction() as conn:
        conn.execute(f"UPDATE {pg.parcels} SET status = status")
    pg.bounds()
    assert kept(pg) == [("bounds", kept(pg)[0][1])]


def test_a_schema_from_before_the_cache_answers_fresh_then_gets_it(pg):
    with pg.database.transaction() as conn:
        conn.execute(f"DROP TRIGGER {TRIGGER} ON {pg.parcels}")
        conn.execute(f"DROP TABLE {pg.location.table(SUMMARY_CACHE)}, "
                     f"{pg.location.table(STATE)}")
    assert pg.bounds() == pg.summaries.compute_bounds(ParcelFilter())
    pg.ensure_schema()
    assert pg.landuse_breakdown() == pg.summaries.compute_breakdown(ParcelFilter())
    assert [name for name, _ in kept(pg)] == ["landuse_breakdown"]
    pg.ensure_schema()  # again: nothing to add, no second trigger
    with pg.database.transaction() as conn:
        triggers = conn.execute("SELECT COUNT(*) FROM pg_trigger WHERE tgname = %s AND "
                                "tgrelid = %s::regclass", (TRIGGER, pg.parcels)).fetchone()[0]
    assert triggers == 1
