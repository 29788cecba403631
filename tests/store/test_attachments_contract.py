"""store.attachments on every backend: add, list in order, bytes back, update with history,
internal files left out of public lists, removal, first_photo, and the tables registered as
non-layer content in the GeoPackage."""

import sqlite3

import pytest

from webapp.domain.errors import NotFoundError
from webapp.store.attachment_store import NewAttachment


def new_photo(content: bytes = b"jpeg-bytes", name: str = "site.jpg") -> NewAttachment:
    return NewAttachment(kind="image", media_type="image/jpeg", filename=name, content=content,
                         thumbnail=b"thumb", width_px=64, height_px=48)


def new_pdf() -> NewAttachment:
    return NewAttachment(kind="pdf", media_type="application/pdf", filename="规划条件.pdf",
                         content=b"%PDF-1.7 \x00\xff binary")


@pytest.fixture
def attachments(store):
    store.ensure_schema()
    return store.attachments


def test_attachment_add_returns_stored_record(attachments):
    added = attachments.add("T-001", new_photo(), "现场", False, "ada")
    assert (added.parcel_code, added.kind, added.caption, added.added_by) == (
        "T-001", "image", "现场", "ada")
    assert added.size_bytes == len(b"jpeg-bytes") and len(added.sha256) == 64
    assert attachments.get(added.id) == added


def test_attachment_content_and_thumbnail_come_back_byte_for_byte(attachments):
    added = attachments.add("T-001", new_pdf(), "", False, "ada")
    assert attachments.content(added.id) == b"%PDF-1.7 \x00\xff binary"
    assert attachments.content(added.id, thumbnail=True) is None
    photo = attachments.add("T-001", new_photo(), "", False, "ada")
    assert attachments.content(photo.id, thumbnail=True) == b"thumb"


def test_attachments_listed_in_position_order(attachments):
    first = attachments.add("T-002", new_photo(name="a.jpg"), "", False, "ada")
    second = attachments.add("T-002", new_pdf(), "", False, "ada")
    assert [a.id for a in attachments.attachments("T-002")] == [first.id, second.id]
    attachments.update(first.id, "bob", position=5)
    assert [a.id for a in attachments.attachments("T-002")] == [second.id, first.id]
    assert attachments.attachments("T-003") == []


def test_internal_attachment_left_out_of_public_list(attachments):
    hidden = attachments.add("T-001", new_photo(b"secret"), "", True, "ada")
    shown = attachments.add("T-001", new_photo(b"public"), "", False, "ada")
    assert [a.id for a in attachments.attachments("T-001", include_internal=False)] == [shown.id]
    assert {a.id for a in attachments.attachments("T-001")} == {hidden.id, shown.id}
    assert attachments.first_photo("T-001") == b"public"


def test_first_photo_skips_documents_and_is_none_without_photos(attachments):
    attachments.add("T-003", new_pdf(), "", False, "ada")
    assert attachments.first_photo("T-003") is None
    attachments.add("T-003", new_photo(b"photo"), "", False, "ada")
    assert attachments.first_photo("T-003") == b"photo"


def test_attachment_update_records_one_history_row_per_change(attachments):
    added = attachments.add("T-001", new_photo(), "old", False, "ada")
    updated = attachments.update(added.id, "bob", caption="new", internal=True, position=0)
    assert (updated.caption, updated.internal) == ("new", True)
    rows = attachments.changes("T-001")
    assert [(r.action, r.actor, r.detail) for r in rows] == [
        ("internal", "bob", "yes"), ("caption", "bob", "new"), ("added", "ada", "site.jpg")]


def test_attachment_remove_deletes_bytes_and_keeps_history(attachments):
    added = attachments.add("T-001", new_photo(), "", False, "ada")
    attachments.remove(added.id, "bob")
    assert attachments.get(added.id) is None and attachments.content(added.id) is None
    assert [(r.action, r.actor) for r in attachments.changes("T-001")] == [
        ("removed", "bob"), ("added", "ada")]
    with pytest.raises(NotFoundError):
        attachments.remove(added.id, "bob")


@pytest.mark.parametrize("bad_id", [0, -1, 2**70, 999_999])
def test_unknown_attachment_id_is_none_or_not_found(attachments, bad_id):
    assert attachments.get(bad_id) is None and attachments.content(bad_id) is None
    with pytest.raises(NotFoundError):
        attachments.update(bad_id, "bob", caption="x")


def test_attachments_survive_a_reimport(store, attachments):
    from tests.store.conftest import prepared_small

    added = attachments.add("T-004", new_photo(), "", False, "ada")
    store.replace_all(prepared_small())
    assert attachments.get(added.id) == added


def test_geopackage_registers_attachment_tables_as_non_layers(gpkg):
    with sqlite3.connect(gpkg.path) as db:
        rows = db.execute("SELECT table_name, data_type FROM gpkg_contents "
                          "WHERE table_name LIKE 'landgis_attachment%' ORDER BY 1").fetchall()
    assert rows == [("landgis_attachment_changes", "landgis_attachments"),
                    ("landgis_attachments", "landgis_attachments")]
