"""Pending uploads: size limit, tokens that cannot reach other paths, clean-up."""

import io
import os

import pytest

from webapp.domain.errors import DataFileError, NotFoundError
from webapp.importing.uploads import MAX_AGE_S, UploadArea


@pytest.fixture
def area(tmp_path):
    return UploadArea(tmp_path / "uploads", max_bytes=1000)


def test_upload_is_saved_under_its_token(area):
    token = area.save(io.BytesIO(b"{}"), "地块.geojson")
    assert area.path(token).read_bytes() == b"{}"


def test_upload_name_cannot_leave_its_folder(area):
    token = area.save(io.BytesIO(b"x"), "../../etc/passwd")
    assert area.path(token).parent == area.folder / token


def test_upload_over_limit_is_refused_and_removed(area):
    with pytest.raises(DataFileError, match="larger than"):
        area.save(io.BytesIO(bytes(2000)), "big.zip")
    assert list(area.folder.iterdir()) == []


@pytest.mark.parametrize("token", ["../../etc", "short", "a/b" * 10, ""])
def test_upload_bad_token_is_not_found(area, token):
    with pytest.raises(NotFoundError):
        area.path(token)


def test_upload_discarded_token_is_gone(area):
    token = area.save(io.BytesIO(b"x"), "a.geojson")
    area.discard(token)
    with pytest.raises(NotFoundError, match="expired or was already imported"):
        area.path(token)


def test_upload_stale_ones_are_removed(area):
    token = area.save(io.BytesIO(b"x"), "a.geojson")
    old = (area.folder / token).stat().st_mtime - MAX_AGE_S - 1
    os.utime(area.folder / token, (old, old))
    area.remove_stale()
    assert not (area.folder / token).exists()
