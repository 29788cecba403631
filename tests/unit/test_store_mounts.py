"""A GeoPackage store on a network file system is refused (SQLite's locking is unsafe there):
the mount table decides, here a fake one."""

from pathlib import Path, PurePosixPath

import pytest

from webapp.domain.errors import ConfigError
from webapp.services import open_configured_store
from webapp.store.geopackage.mounts import (
    mount_of,
    network_fs_type,
    parse_mounts,
    refuse_network_fs,
)

LOCAL = "/dev/sda1 / ext4 rw,relatime 0 0\ntmpfs /run tmpfs rw 0 0\n"


def table(folder: Path, fs_type: str, device: str = "nas:/export") -> str:
    """A mount table with the root on ext4 and `folder` mounted as fs_type."""
    return LOCAL + f"{device} {folder} {fs_type} rw 0 0\n"


@pytest.mark.parametrize("fs_type", ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "9p",
                                     "glusterfs", "ceph"])
def test_network_store_folder_is_detected(tmp_path, fs_type):
    assert network_fs_type(tmp_path / "landgis.gpkg", table(tmp_path, fs_type)) == fs_type


@pytest.mark.parametrize("fs_type", ["ext4", "xfs", "btrfs", "zfs", "tmpfs", "overlay"])
def test_local_store_folder_is_allowed(tmp_path, fs_type):
    assert network_fs_type(tmp_path / "landgis.gpkg", table(tmp_path, fs_type)) is None


def test_store_below_a_network_mount_is_detected(tmp_path):
    store = tmp_path / "instance" / "data" / "landgis.gpkg"  # not created yet
    assert network_fs_type(store, table(tmp_path, "nfs4")) == "nfs4"


def test_local_mount_inside_a_network_mount_wins(tmp_path):
    (tmp_path / "local").mkdir()
    text = table(tmp_path, "nfs4") + f"/dev/sdb1 {tmp_path / 'local'} ext4 rw 0 0\n"
    assert network_fs_type(tmp_path / "local" / "landgis.gpkg", text) is None


def test_sibling_with_a_common_prefix_is_not_the_mount(tmp_path):
    (tmp_path / "share-local").mkdir()
    text = LOCAL + f"nas:/x {tmp_path / 'share'} nfs rw 0 0\n"
    assert network_fs_type(tmp_path / "share-local" / "landgis.gpkg", text) is None


def test_mount_points_with_spaces_are_decoded(tmp_path):
    folder = tmp_path / "my share"
    folder.mkdir()
    escaped = str(folder).replace(" ", "\\040")
    text = LOCAL + f"//h/s {escaped} cifs rw 0 0"
    assert network_fs_type(folder / "landgis.gpkg", text) == "cifs"


def test_malformed_mount_lines_are_skipped():
    mounts = parse_mounts("garbage\n\n/dev/sda1 / ext4 rw 0 0\n")
    assert mount_of(PurePosixPath("/srv/x"), mounts).fs_type == "ext4"


def test_refusal_names_the_file_system_and_the_way_out(tmp_path):
    with pytest.raises(ConfigError) as raised:
        refuse_network_fs(tmp_path / "landgis.gpkg", table(tmp_path, "nfs4"))
    message = str(raised.value)
    assert "network file system (nfs4)" in message and "PostGIS" in message
    assert "LANDGIS_GPKG_ALLOW_NETWORK_FS" in message


@pytest.mark.parametrize(("allow", "refused"), [(False, True), (True, False)])
def test_configured_store_refused_unless_allowed(tmp_path, monkeypatch, allow, refused):
    mounts = tmp_path / "mounts"
    mounts.write_text(table(tmp_path, "nfs4"))
    monkeypatch.setattr("webapp.store.geopackage.mounts.MOUNTS", mounts)
    config = {"STORE_URL": "landgis.gpkg", "GPKG_ALLOW_NETWORK_FS": allow}
    if refused:
        with pytest.raises(ConfigError, match="network file system"):
            open_configured_store(config, tmp_path)
    else:
        assert open_configured_store(config, tmp_path).path == tmp_path / "landgis.gpkg"


def test_postgis_store_is_never_refused(tmp_path, monkeypatch):
    mounts = tmp_path / "mounts"
    mounts.write_text(table(tmp_path, "nfs4"))
    monkeypatch.setattr("webapp.store.geopackage.mounts.MOUNTS", mounts)
    config = {"STORE_URL": "postgresql://u@127.0.0.1/db?schema=x", "GPKG_ALLOW_NETWORK_FS": False}
    assert open_configured_store(config, tmp_path) is not None


def test_no_mount_table_means_no_refusal(tmp_path, monkeypatch):
    monkeypatch.setattr("webapp.store.geopackage.mounts.MOUNTS", tmp_path / "missing")
    assert network_fs_type(tmp_path / "landgis.gpkg") is None
