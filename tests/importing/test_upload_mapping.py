"""The mapping kept beside an upload: read back by its owner only, never taken for the uploaded
file, replaced whole, bounded, and gone with the upload."""

import io

import pytest

from webapp.domain.errors import DataFileError, NotFoundError
from webapp.importing import uploads
from webapp.importing.uploads import UploadArea

OWNER = "account:2"


@pytest.fixture
def area(tmp_path):
    return UploadArea(tmp_path / "uploads", max_bytes=1000)


@pytest.fixture
def token(area):
    return area.save(io.BytesIO(b"{}"), "地块.geojson", OWNER)


def test_upload_mapping_reads_back_for_its_owner(area, token):
    assert area.read_mapping(token, OWNER) is None
    area.write_mapping(token, OWNER, {"mapping": {"fields": {"用地性質": "land_use"}}})
    area.write_mapping(token, OWNER, {"mapping": {"others": {"land_use": "0701"}}})
    assert area.read_mapping(token, OWNER) == {"mapping": {"others": {"land_use": "0701"}}}


def test_upload_mapping_is_not_the_uploaded_file(area, token):
    area.write_mapping(token, OWNER, {"fields": []})
    assert area.path(token, OWNER).name == "地块.geojson"


def test_upload_mapping_of_another_owner_is_not_found(area, token):
    with pytest.raises(NotFoundError):
        area.read_mapping(token, "account:3")
    with pytest.raises(NotFoundError):
        area.write_mapping(token, "account:3", {})


def test_upload_mapping_damaged_reads_as_none(area, token):
    (area.folder / token / uploads.MAPPING_FILE).write_bytes(b"\xff{")
    assert area.read_mapping(token, OWNER) is None


def test_upload_mapping_over_limit_is_refused(area, token, monkeypatch):
    monkeypatch.setattr(uploads, "MAPPING_MAX_BYTES", 100)
    with pytest.raises(DataFileError, match="larger than"):
        area.write_mapping(token, OWNER, {"x": "长" * 100})


def test_upload_mapping_goes_with_the_upload(area, token):
    area.write_mapping(token, OWNER, {})
    area.discard(token, OWNER)
    with pytest.raises(NotFoundError):
        area.read_mapping(token, OWNER)
