"""Whether a GeoPackage store lies on a network file system, from the mount table
(/proc/mounts on Linux): SQLite's file locks and the shared memory of its WAL mode are unsafe
over NFS, SMB/CIFS, sshfs and the like, so a store there could be corrupted by two writers."""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from webapp.domain.errors import ConfigError

MOUNTS = Path("/proc/mounts")
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "coda", "9p", "ceph", "glusterfs",
    "lustre", "gpfs", "davfs", "fuse.sshfs", "sshfs", "fuse.glusterfs", "fuse.cephfs",
    "fuse.s3fs", "fuse.rclone", "fuse.davfs2", "fuse.gcsfuse"})


@dataclass(frozen=True)
class Mount:
    """One line of the mount table: where a file system is mounted and its type."""

    point: PurePosixPath
    fs_type: str


def _unescape(field: str) -> str:
    """A mount table field with its octal escapes (\\040 for a space) decoded."""
    return field.encode("latin-1").decode("unicode_escape")


def parse_mounts(text: str) -> list[Mount]:
    """The mounts of a /proc/mounts text (malformed lines skipped)."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append(Mount(PurePosixPath(_unescape(fields[1])), fields[2]))
    return mounts


def mount_of(path: PurePosixPath, mounts: list[Mount]) -> Mount | None:
    """The mount a path lies on: the last-mounted one with the longest matching mount point."""
    best = None
    for mount in mounts:
        if (path == mount.point or mount.point in path.parents) and (
                best is None or len(mount.point.parts) >= len(best.point.parts)):
            best = mount
    return best


def network_fs_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The network file system type the path (or its nearest existing folder) lies on, or
    None (a local disk, or no mount table to read: not Linux)."""
    if mounts_text is None:
        try:
            mounts_text = MOUNTS.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    folder = path.resolve()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    mount = mount_of(PurePosixPath(folder.as_posix()), parse_mounts(mounts_text))
    if mount is None:
        return None
    fs_type = mount.fs_type.lower()
    return fs_type if fs_type in NETWORK_TYPES or fs_type.startswith("nfs") else None


def refuse_network_fs(path: Path, mounts_text: str | None = None) -> None:
    """ConfigError naming the file system when a GeoPackage store lies on a network one."""
    fs_type = network_fs_type(path, mounts_text)
    if fs_type is not None:
        raise ConfigError(
            f"LANDGIS_STORE_URL: the GeoPackage store {path} is on a network file system "
            f"({fs_type}). SQLite's locking is unsafe there and the store could be corrupted: "
            "keep it on a local disk of the one server that runs landgis, or use PostGIS for "
            "several servers (LANDGIS_GPKG_ALLOW_NETWORK_FS=true opens it anyway).")
