"""What every ParcelStore backend must do for staff: versioned edits, audit trail, accounts,
login counters (run once per backend, like test_store_contract)."""

import pytest

from tests.store.conftest import prepared_small
from webapp.domain.audit import ChangeFilter
from webapp.domain.errors import ConflictError, InvalidEditError, NotFoundError
from webapp.domain.filters import ParcelFilter
from webapp.store.geopackage import edits as gpkg_edits
from webapp.store.postgis import edits as postgis_edits
from webapp.store.replace_audit import replacement_changes

ACTOR = "eddie"


@pytest.fixture
def staff_store(store):
    """The four-parcel store with its staff tables."""
    store.ensure_schema()
    return store


def every_parcel(store):
    return store.query(ParcelFilter(include_drafts=True), with_geometry=False).parcels


def edit(store, code, changes, version=None, source="form"):
    parcel = store.get(code, include_drafts=True)
    return store.update_parcel(parcel.id, changes, parcel.version if version is None else version,
                               ACTOR, source)


def test_update_parcel_saves_value_and_increments_version(staff_store):
    saved = edit(staff_store, "T-001", {"status": "sold"})
    assert (saved.status, saved.version) == ("sold", 2)
    assert staff_store.get("T-001").status == "sold"


def test_update_parcel_writes_one_audit_record_per_changed_field(staff_store):
    edit(staff_store, "T-001", {"status": "sold", "note": "新", "code": "T-001"})
    changes = staff_store.changes(ChangeFilter()).changes
    assert sorted((c.field, c.old_value, c.new_value) for c in changes) == [
        ("note", None, "新"), ("status", "available", "sold")]


def test_update_parcel_audit_record_names_who_when_how_and_version(staff_store):
    edit(staff_store, "T-002", {"price_start_wan": 99.5}, source="api")
    change = staff_store.changes(ChangeFilter()).changes[0]
    assert (change.actor, change.parcel_code, change.source, change.version) == (
        ACTOR, "T-002", "api", 2)
    assert change.changed_at.endswith("+00:00")


def test_update_parcel_with_same_values_writes_nothing(staff_store):
    current = staff_store.get("T-001")
    saved = edit(staff_store, "T-001", {"status": current.status})
    assert saved.version == 1 and staff_store.changes(ChangeFilter()).number_matched == 0


def test_update_parcel_stale_version_is_refused_with_current_parcel(staff_store):
    edit(staff_store, "T-001", {"status": "sold"})
    with pytest.raises(ConflictError) as caught:
        edit(staff_store, "T-001", {"status": "reserve"}, version=1)
    assert caught.value.current.version == 2 and caught.value.current.status == "sold"


def test_update_parcel_stale_version_changes_nothing(staff_store):
    edit(staff_store, "T-001", {"status": "sold"})
    with pytest.raises(ConflictError):
        edit(staff_store, "T-001", {"status": "reserve", "note": "x"}, version=1)
    assert staff_store.get("T-001").status == "sold"
    assert staff_store.changes(ChangeFilter()).number_matched == 1


def test_update_parcel_without_expected_version_skips_the_check(staff_store):
    edit(staff_store, "T-001", {"status": "sold"})
    parcel = staff_store.get("T-001")
    assert staff_store.update_parcel(parcel.id, {"note": "n"}, None, ACTOR, "api").version == 3


def test_update_parcel_unknown_id_is_not_found(staff_store):
    with pytest.raises(NotFoundError):
        staff_store.update_parcel(999, {"note": "x"}, 1, ACTOR, "form")


def test_update_parcel_duplicate_code_is_refused(staff_store):
    with pytest.raises(InvalidEditError) as caught:
        edit(staff_store, "T-001", {"code": "T-002"})
    assert list(caught.value.fields) == ["code"]


def test_update_parcel_can_make_a_draft(staff_store):
    edit(staff_store, "T-003", {"published": False})
    assert staff_store.get("T-003") is None
    assert staff_store.get("T-003", include_drafts=True).published is False


def test_update_parcel_refuses_computed_field(staff_store):
    with pytest.raises(ValueError, match="not editable: area_m2"):
        edit(staff_store, "T-001", {"area_m2": 1.0})


@pytest.mark.parametrize(("change_filter", "expected"), [
    (ChangeFilter(parcel_code="T-001"), ["status", "note"]),
    (ChangeFilter(field="note"), ["note", "note"]),
    (ChangeFilter(source="api"), ["note"]),
    (ChangeFilter(actor="nobody"), []),
])
def test_changes_filter_newest_first(staff_store, change_filter, expected):
    edit(staff_store, "T-001", {"note": "a"})
    edit(staff_store, "T-001", {"status": "sold"})
    edit(staff_store, "T-002", {"note": "b"}, source="api")
    assert [c.field for c in staff_store.changes(change_filter).changes] == expected


def test_changes_after_version_lists_what_happened_since(staff_store):
    for note in ("a", "b", "c"):
        edit(staff_store, "T-001", {"note": note})
    parcel_id = staff_store.get("T-001").id
    since = staff_store.changes(ChangeFilter(parcel_id=parcel_id, after_version=2)).changes
    assert [c.new_value for c in since] == ["c", "b"]


def test_changes_pages_keep_total_count(staff_store):
    for note in "abcde":
        edit(staff_store, "T-001", {"note": note})
    page = staff_store.changes(ChangeFilter(), limit=2, offset=1)
    assert ([c.new_value for c in page.changes], page.number_matched) == (["d", "c"], 5)


def test_get_change_by_id(staff_store):
    edit(staff_store, "T-001", {"note": "a"})
    change = staff_store.changes(ChangeFilter()).changes[0]
    assert staff_store.get_change(change.id) == change and staff_store.get_change(999) is None


def test_replace_all_audits_changed_fields_as_import(staff_store):
    frame = prepared_small()
    frame.loc[frame["code"] == "T-002", "status"] = "sold"
    staff_store.replace_all(frame)
    changes = staff_store.changes(ChangeFilter(source="import")).changes
    assert [(c.parcel_code, c.field, c.old_value, c.new_value) for c in changes] == [
        ("T-002", "status", "negotiating", "sold")]


def test_replace_all_bumps_version_of_changed_parcels_only(staff_store):
    edit(staff_store, "T-001", {"note": "kept"})
    frame = prepared_small()
    frame.loc[frame["code"] == "T-002", "status"] = "sold"
    staff_store.replace_all(frame)
    assert staff_store.get("T-002").version == 2 and staff_store.get("T-003").version == 1
    assert staff_store.get("T-001").version == 3  # its note was replaced by the file's


def test_replace_all_leaves_unchanged_parcels_as_they_were(staff_store):
    before = {p.code: (p.version, p.updated_at) for p in every_parcel(staff_store)}
    frame = prepared_small()
    frame["area_m2"] = frame["area_m2"] * (1 + 1e-9)  # the same polygon's area, recomputed
    staff_store.replace_all(frame)
    assert {p.code: (p.version, p.updated_at) for p in every_parcel(staff_store)} == before
    assert staff_store.changes(ChangeFilter(source="import")).changes == []


def test_replace_all_audits_a_changed_area_a_removed_and_a_created_parcel(staff_store):
    frame = prepared_small()
    frame.loc[frame["code"] == "T-003", "area_m2"] += 50.0
    frame.loc[frame["code"] == "T-004", "code"] = "T-009"
    staff_store.replace_all(frame)
    changes = staff_store.changes(ChangeFilter(source="import")).changes
    assert sorted((c.parcel_code, c.field, c.version) for c in changes) == [
        ("T-003", "area_m2", 2), ("T-004", "removed", 2), ("T-009", "created", 1)]
    assert staff_store.get("T-009").version == 1


def test_replace_all_twice_audits_each_import(staff_store):
    frame = prepared_small()
    frame.loc[frame["code"] == "T-002", "status"] = "sold"
    staff_store.replace_all(frame)
    frame.loc[frame["code"] == "T-002", "status"] = "reserve"
    staff_store.replace_all(frame)
    assert staff_store.get("T-002").version == 3
    assert [c.new_value for c in staff_store.changes(ChangeFilter(source="import")).changes] == [
        "reserve", "sold"]


def test_replace_all_reads_back_only_the_parcels_that_changed(staff_store, monkeypatch):
    seen = []

    def counted(candidates, now, actor):
        rows = list(candidates)
        seen.extend(row[1] for row in rows)
        return replacement_changes(rows, now, actor)

    for module in (gpkg_edits, postgis_edits):
        monkeypatch.setattr(module, "replacement_changes", counted)
    frame = prepared_small()
    frame.loc[frame["code"] == "T-002", "status"] = "sold"
    staff_store.replace_all(frame)
    assert seen == ["T-002"]


def test_upsert_audits_changed_fields_as_import(staff_store):
    frame = prepared_small().iloc[[0]].copy()
    frame["deposit_wan"] = 123.0
    staff_store.upsert(frame)
    change = staff_store.changes(ChangeFilter(source="import")).changes[0]
    assert (change.parcel_code, change.field, change.new_value, change.version) == (
        "T-001", "deposit_wan", 123.0, 2)


def test_user_add_and_get_by_name_in_any_case(staff_store):
    user = staff_store.staff.add_user("Ada", "admin", "hash")
    assert staff_store.staff.get_user("ADA") == user and staff_store.staff.get_user(user.id) == user
    assert (user.role, user.active, user.login_epoch) == ("admin", True, 1)


def test_user_name_taken_in_other_case_is_refused(staff_store):
    staff_store.staff.add_user("ada", "admin", "hash")
    with pytest.raises(InvalidEditError, match="already taken"):
        staff_store.staff.add_user("ADA", "viewer", "hash")


def test_users_listed_by_name(staff_store):
    for name in ("zoe", "ada", "max"):
        staff_store.staff.add_user(name, "viewer", "hash")
    assert [u.name for u in staff_store.staff.users()] == ["ada", "max", "zoe"]


def test_user_new_password_ends_sessions(staff_store):
    user = staff_store.staff.add_user("ada", "admin", "old")
    changed = staff_store.staff.update_user(user.id, password_hash="new")
    assert (changed.password_hash, changed.login_epoch) == ("new", 2)


def test_user_role_and_active_change(staff_store):
    staff_store.staff.add_user("ada", "admin", "hash")
    user = staff_store.staff.add_user("eddie", "editor", "hash")
    assert staff_store.staff.update_user(user.id, role="viewer", active=False).role == "viewer"
    assert staff_store.staff.get_user("eddie").active is False


@pytest.mark.parametrize("change", [{"role": "editor"}, {"active": False}])
def test_user_last_active_admin_cannot_be_removed(staff_store, change):
    admin = staff_store.staff.add_user("ada", "admin", "hash")
    with pytest.raises(InvalidEditError, match="at least one active admin"):
        staff_store.staff.update_user(admin.id, **change)
    ada = staff_store.staff.get_user("ada")
    assert ada.role == "admin" and ada.active


def test_user_update_unknown_is_not_found(staff_store):
    with pytest.raises(NotFoundError):
        staff_store.staff.update_user(42, role="viewer")


def test_login_attempts_refused_after_limit(staff_store):
    limits = {"account:ada": 3}
    tokens = [staff_store.staff.reserve_login_attempt(limits, 900, 1000.0 + i).token
              for i in range(3)]
    refused = staff_store.staff.reserve_login_attempt(limits, 900, 1010.0)
    assert all(tokens) and refused.token is None
    assert refused.retry_after_s == 891  # the oldest attempt (at 1000) leaves the window at 1900


def test_login_attempts_leave_the_window(staff_store):
    limits = {"account:ada": 1}
    staff_store.staff.reserve_login_attempt(limits, 900, 1000.0)
    assert staff_store.staff.reserve_login_attempt(limits, 900, 1901.0).token


def test_login_attempt_limit_applies_per_key(staff_store):
    staff_store.staff.reserve_login_attempt({"account:ada": 1, "address:a": 5}, 900, 1000.0)
    assert staff_store.staff.reserve_login_attempt({"account:bob": 1, "address:a": 5}, 900,
                                             1001.0).token
    assert staff_store.staff.reserve_login_attempt({"account:ada": 1, "address:b": 5}, 900,
                                             1002.0).token is None


def test_login_attempt_released_after_success_clears_account(staff_store):
    limits = {"account:ada": 2, "address:a": 10}
    staff_store.staff.reserve_login_attempt(limits, 900, 1000.0)
    success = staff_store.staff.reserve_login_attempt(limits, 900, 1001.0)
    staff_store.staff.release_login_attempt(success.token, clear_keys=("account:ada",))
    assert staff_store.staff.reserve_login_attempt(limits, 900, 1002.0).token


def test_user_disable_ends_sessions(staff_store):
    staff_store.staff.add_user("ada", "admin", "hash")
    user = staff_store.staff.add_user("eddie", "editor", "hash")
    assert staff_store.staff.update_user(user.id, active=False).login_epoch == 2


def test_user_enable_again_keeps_the_new_epoch(staff_store):
    staff_store.staff.add_user("ada", "admin", "hash")
    user = staff_store.staff.add_user("eddie", "editor", "hash")
    staff_store.staff.update_user(user.id, active=False)
    assert staff_store.staff.update_user(user.id, active=True).login_epoch == 2


def test_user_role_change_of_active_account_keeps_sessions(staff_store):
    staff_store.staff.add_user("ada", "admin", "hash")
    user = staff_store.staff.add_user("eddie", "editor", "hash")
    assert staff_store.staff.update_user(user.id, role="viewer", active=True).login_epoch == 1


# Login names compare NFKC-normalised and case-folded with the Turkish i's as one letter, the
# same on every backend (PostgreSQL's lower() and SQLite's NOCASE each fold differently).
NAME_SPELLINGS = [
    ("Ada", "ADA", True), ("Ada", "ａｄａ", True), ("Ada", "ＡＤＡ", True), ("Ada", " ada ", True),
    ("İpek", "i̇pek", True), ("İpek", "İPEK", True), ("İpek", "ipek", True),
    ("İpek", "ıpek", True), ("ılgaz", "ILGAZ", True), ("ılgaz", "İlgaz", True),
    ("Straße", "STRASSE", True), ("Ａｄａ", "ada", True), ("ǅemal", "ǆemal", True),
    ("Ada", "Adam", False), ("Ada", "Ädä", False), ("ilgaz", "ilgäz", False),
]


@pytest.mark.parametrize(("name", "typed", "matches"), NAME_SPELLINGS)
def test_user_found_by_name_under_one_folding(staff_store, name, typed, matches):
    user = staff_store.staff.add_user(name, "viewer", "hash")
    assert staff_store.staff.get_user(typed) == (user if matches else None)


@pytest.mark.parametrize(("name", "typed", "matches"), NAME_SPELLINGS)
def test_user_name_taken_under_the_same_folding(staff_store, name, typed, matches):
    staff_store.staff.add_user(name, "viewer", "hash")
    if matches:
        with pytest.raises(InvalidEditError, match="already taken"):
            staff_store.staff.add_user(typed.strip(), "viewer", "hash")
    else:
        assert staff_store.staff.add_user(typed, "viewer", "hash").name == typed


@pytest.mark.parametrize("key", [2**63, -2**63 - 1, 10**30])
def test_user_id_beyond_the_integer_range_is_not_found(staff_store, key):
    assert staff_store.staff.get_user(key) is None
