"""The upsert plan both stores run: new codes inserted, stored ones compared field by field."""

from webapp.domain.parcel_schema import IMPORTED_FIELDS
from webapp.store.plain_values import canonical_json
from webapp.store.records import FieldChange
from webapp.store.upsert_plan import IncomingParcel, StoredParcel, changed_fields, plan_upsert


def values(code: str, **changes: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(IMPORTED_FIELDS)
    row |= {"code": code, "land_use": "100101", "status": "available", "area_m2": 1000.0,
            "extra": "{}"}
    return row | changes


def stored(parcel_id: int, code: str, published: int = 1, geometry: bytes = b"g",
           **changes: object) -> StoredParcel:
    return StoredParcel(parcel_id, {**values(code, **changes), "published": published},
                        geometry)


def test_new_codes_are_inserted_with_ids_from_next_id():
    plan = plan_upsert([IncomingParcel(values("A"), 1, b"a"), IncomingParcel(values("B"), 0, b"b")],
                       {}, next_id=7)
    assert [(i, p.values["code"]) for i, p in plan.inserts] == [(7, "A"), (8, "B")]
    assert (plan.result.inserted, plan.result.updated, plan.result.unchanged) == (2, 0, 0)


def test_an_identical_row_is_unchanged_and_writes_nothing():
    plan = plan_upsert([IncomingParcel(values("A"), 1, b"g")], {"A": stored(3, "A")}, 9)
    assert not plan.inserts and not plan.updates and plan.result.unchanged == 1


def test_changed_fields_and_geometry_are_planned_and_reported():
    plan = plan_upsert([IncomingParcel(values("A", status="sold"), 1, b"new")],
                       {"A": stored(3, "A")}, 9)
    assert [(u.parcel_id, u.changed, u.geometry) for u in plan.updates] == [
        (3, {"status": "sold"}, b"new")]
    assert plan.result.changes == [FieldChange(3, "status", "available", "sold"),
                                   FieldChange(3, "geometry", None, None)]


def test_a_stored_draft_stays_a_draft_unless_publishing():
    incoming = [IncomingParcel(values("A"), 1, b"g")]
    assert plan_upsert(incoming, {"A": stored(3, "A", published=0)}, 9).result.unchanged == 1
    plan = plan_upsert(incoming, {"A": stored(3, "A", published=0)}, 9, publish_existing=True)
    assert plan.updates[0].changed == {"published": 1}


def test_a_code_met_twice_is_compared_with_what_the_first_row_planned():
    plan = plan_upsert([IncomingParcel(values("A"), 1, b"g"),
                        IncomingParcel(values("A", name="二"), 1, b"g")], {}, 1)
    assert len(plan.inserts) == 1 and plan.updates[0].changed == {"name": "二"}
    assert plan.updates[0].parcel_id == 1


def test_extra_compares_as_canonical_json_whatever_the_key_order():
    assert canonical_json('{"b": 1, "a": "临河"}') == canonical_json({"a": "临河", "b": 1})
    current = values("A", extra=canonical_json({"b": 1, "a": 2}))
    assert changed_fields(current, values("A", extra=canonical_json({"a": 2, "b": 1}))) == {}
