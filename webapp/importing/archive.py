"""Unpack uploaded zip archives safely: entry count, unpacked size and path checks first."""

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from webapp.domain.errors import DataFileError


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may hold before it is refused unopened."""

    max_entries: int = 200
    max_unpacked_bytes: int = 500 * 1024 * 1024
    max_ratio: int = 200  # unpacked / packed size of one entry; higher is a zip bomb


def _check_name(name: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise DataFileError(f"archive entry “{name}” has an absolute path; refused")
    if ".." in path.parts:
        raise DataFileError(f"archive entry “{name}” points outside the archive (..); refused")


def _check_entry(info: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    _check_name(info.filename)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise DataFileError(f"archive entry “{info.filename}” is a symbolic link; refused")
    if info.file_size > limits.max_ratio * max(info.compress_size, 1024):
        raise DataFileError(f"archive entry “{info.filename}” unpacks to "
                            f"{info.file_size // 1024 // 1024} MB from "
                            f"{info.compress_size // 1024} kB: looks like a zip bomb; refused")


def check_archive(archive: zipfile.ZipFile, limits: ArchiveLimits) -> list[zipfile.ZipInfo]:
    """The archive's file entries, or DataFileError when any limit or path rule is broken."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise DataFileError(f"archive has {len(entries)} entries; at most "
                            f"{limits.max_entries} are accepted")
    for info in entries:
        _check_entry(info, limits)
    total = sum(info.file_size for info in entries)
    if total > limits.max_unpacked_bytes:
        raise DataFileError(f"archive unpacks to {total // 1024 // 1024} MB; at most "
                            f"{limits.max_unpacked_bytes // 1024 // 1024} MB are accepted")
    return [info for info in entries if not info.is_dir()]


DEFAULT_LIMITS = ArchiveLimits()


def extract_archive(path: Path, target: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """Unpack a zip file into target after checking it; never writes outside target."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in check_archive(archive, limits):
                destination = (target / info.filename).resolve()
                if not destination.is_relative_to(target.resolve()):
                    raise DataFileError(f"archive entry “{info.filename}” points outside the "
                                        "archive; refused")
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, destination.open("wb") as out:
                    _copy_limited(source, out, info)
    except zipfile.BadZipFile as error:
        raise DataFileError(f"{path.name}: damaged zip archive ({error})") from None


def _copy_limited(source, out, info: zipfile.ZipInfo) -> None:
    """Copy one entry, stopping if it unpacks to more than its header declared."""
    written = 0
    while chunk := source.read(1 << 20):
        written += len(chunk)
        if written > info.file_size:
            raise DataFileError(f"archive entry “{info.filename}” is larger than it declares; "
                                "refused")
        out.write(chunk)
