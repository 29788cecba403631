"""Pending uploads: size limit, tokens that cannot reach other paths, owners, clean-up."""

import io
import os

import pytest

from webapp.domain.errors import DataFileError, NotFoundError
from webapp.importing.uploads import MAX_AGE_S, OWNER_FILE, UploadArea

OWNER = "account:2"


@pytest.fixture
def area(tmp_path):
    return UploadArea(tmp_path / "uploads", max_bytes=1000)


def test_upload_is_saved_under_its_token(area):
    token = area.save(io.BytesIO(b"{}"), "地块.geojson", OWNER)
    assert area.path(token, OWNER).read_bytes() == b"{}"


def test_upload_name_cannot_leave_its_folder(area):
    token = area.save(io.BytesIO(b"x"), "../../etc/passwd", OWNER)
    assert area.path(token, OWNER).parent == area.folder / token


def test_upload_over_limit_is_refused_and_removed(area):
    with pytest.raises(DataFileError, match="larger than"):
        area.save(io.BytesIO(bytes(2000)), "big.zip", OWNER)
    assert list(area.folder.iterdir()) == []


@pytest.mark.parametrize("token", ["../../etc", "short", "a/b" * 10, ""])
def test_upload_bad_token_is_not_found(area, token):
    with pytest.raises(NotFoundError):
        area.path(token, OWNER)


def test_upload_discarded_token_is_gone(area):
    token = area.save(io.BytesIO(b"x"), "a.geojson", OWNER)
    area.discard(token, OWNER)
    with pytest.raises(NotFoundError, match="expired or was already imported"):
        area.path(token, OWNER)


def test_upload_stale_ones_are_removed(area):
    token = area.save(io.BytesIO(b"x"), "a.geojson", OWNER)
    old = (area.folder / token).stat().st_mtime - MAX_AGE_S - 1
    os.utime(area.folder / token, (old, old))
    area.remove_stale()
    assert not (area.folder / token).exists()


def test_upload_of_another_owner_is_not_found(area):
    token = area.save(io.BytesIO(b"x"), "a.geojson", OWNER)
    with pytest.raises(NotFoundError):
        area.path(token, "account:3")


def test_upload_of_another_owner_cannot_be_discarded(area):
    token = area.save(io.BytesIO(b"x"), "a.geojson", OWNER)
    with pytest.raises(NotFoundError):
        area.discard(token, "account:3")
    assert area.path(token, OWNER).read_bytes() == b"x"


def test_upload_owner_is_kept_on_the_server_not_in_the_token(area):
    tokens = {area.save(io.BytesIO(b"x"), "a.geojson", OWNER) for _ in range(3)}
    assert len(tokens) == 3 and all(len(token) >= 32 for token in tokens)
    assert all((area.folder / token / OWNER_FILE).read_text(encoding="utf-8") == OWNER
               for token in tokens)


def test_upload_named_like_the_owner_file_stays_apart(area):
    token = area.save(io.BytesIO(b"x"), ".owner", OWNER)
    assert area.path(token, OWNER).name != OWNER_FILE
