"""Text encoding of Shapefile attributes: the .cpg, else UTF-8 or GB18030 judged by content."""

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

from webapp.domain.errors import DataFileError

# .cpg spellings seen in the wild → Python codec names.
_CPG_ALIASES = {"936": "gbk", "cp936": "gbk", "gbk": "gbk", "gb2312": "gbk", "gb18030": "gb18030",
                "utf-8": "utf-8", "utf8": "utf-8", "65001": "utf-8", "1252": "cp1252",
                "ansi 1252": "cp1252", "iso-8859-1": "latin-1", "88591": "latin-1"}


@dataclass(frozen=True)
class EncodingChoice:
    """The encoding used and how it was chosen (for the import report)."""

    encoding: str
    reason: str


def _codec(name: str, source: str) -> str:
    cleaned = name.strip().lower()
    cleaned = _CPG_ALIASES.get(cleaned, cleaned)
    try:
        return codecs.lookup(cleaned).name
    except LookupError:
        raise DataFileError(f"unknown text encoding “{name}” ({source})") from None


def _dbf_text(dbf: Path) -> bytes:
    """The DBF field names and records, without the binary header."""
    data = dbf.read_bytes()
    if len(data) < 32:
        raise DataFileError(f"{dbf.name}: damaged attribute table (too short)")
    header_length = struct.unpack("<H", data[8:10])[0]
    names = b"".join(data[i:i + 11] for i in range(32, header_length - 1, 32))
    return names + data[header_length:]


def choose_dbf_encoding(shp: Path, override: str | None = None) -> EncodingChoice:
    """Explicit override, else the .cpg file, else UTF-8 if the text decodes, else GB18030."""
    if override:
        return EncodingChoice(_codec(override, "--encoding"), "given by the user")
    cpg = shp.with_suffix(".cpg")
    if not cpg.exists():
        cpg = next((p for p in shp.parent.glob("*") if p.suffix.lower() == ".cpg"
                    and p.stem == shp.stem), cpg)
    if cpg.exists():
        name = cpg.read_text(encoding="ascii", errors="replace")
        return EncodingChoice(_codec(name, cpg.name), f"from {cpg.name}")
    dbf = next((p for p in shp.parent.iterdir() if p.stem == shp.stem
                and p.suffix.lower() == ".dbf"), None)
    if dbf is None:
        raise DataFileError(f"{shp.name}: the Shapefile has no .dbf attribute table")
    text = _dbf_text(dbf)
    try:
        text.decode("utf-8")
        return EncodingChoice("utf-8", "detected: the text is valid UTF-8 (no .cpg file)")
    except UnicodeDecodeError:
        pass
    try:
        text.decode("gb18030")
    except UnicodeDecodeError:
        raise DataFileError(f"{dbf.name}: text is neither UTF-8 nor GB18030/GBK; name the "
                            "encoding with --encoding") from None
    return EncodingChoice("gb18030", "detected: GB18030/GBK Chinese text (no .cpg file)")
