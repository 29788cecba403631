"""Uploaded files waiting for a confirmed import: kept under a random token, then removed.

A token is 192 random bits and belongs to the staff member who uploaded: the owner is written
beside the file on the server (never put in the token, which the client holds), and every
look-up names the asking account, so another account's token is "not found" like a wrong one.
"""

import json
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import BinaryIO

from webapp.domain.errors import DataFileError, NotFoundError

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")
MAX_AGE_S = 3600
CHUNK = 1 << 20
OWNER_FILE = ".owner"  # upload names never start with a dot (see _safe_name)
MAPPING_FILE = ".mapping.json"  # the mapping chosen in the web step, kept with its upload
MAPPING_MAX_BYTES = 4 << 20


class UploadArea:
    """A folder of pending uploads, one sub-folder per token (holding the file by its name)."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def save(self, stream: BinaryIO, filename: str, owner: str) -> str:
        """Store an upload (size-limited) for `owner` and return its token; stale uploads are
        removed."""
        self.remove_stale()
        token = secrets.token_urlsafe(24)
        target = self.folder / token
        target.mkdir(parents=True)
        (target / OWNER_FILE).write_text(owner, encoding="utf-8")
        path = target / _safe_name(filename)
        written = 0
        with path.open("wb") as out:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                if written > self.max_bytes:
                    out.close()
                    shutil.rmtree(target, ignore_errors=True)
                    raise DataFileError(f"{filename}: larger than {self.max_bytes // 2**20} MB")
                out.write(chunk)
        return token

    def _owned_folder(self, token: str, owner: str) -> Path:
        """The token's folder when `owner` uploaded it; NotFoundError otherwise."""
        if not TOKEN_PATTERN.fullmatch(token or ""):
            raise NotFoundError("invalid upload token")
        folder = self.folder / token
        try:
            stored = (folder / OWNER_FILE).read_text(encoding="utf-8")
        except OSError:
            stored = None
        if stored is None or not secrets.compare_digest(stored.encode(), owner.encode()):
            raise NotFoundError("this upload has expired or was already imported")
        return folder

    def path(self, token: str, owner: str) -> Path:
        """The uploaded file of a token owned by `owner`, or NotFoundError (expired, used,
        invalid or someone else's)."""
        folder = self._owned_folder(token, owner)
        files = [p for p in folder.iterdir() if not p.name.startswith(".")]
        if len(files) != 1:
            raise NotFoundError("this upload has expired or was already imported")
        return files[0]

    def read_mapping(self, token: str, owner: str) -> dict | None:
        """The mapping state kept with a token's upload (a JSON object), or None when none
        was kept yet; NotFoundError when the token is not `owner`'s."""
        path = self._owned_folder(token, owner) / MAPPING_FILE
        try:
            with path.open(encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None  # a damaged state file: start again from the file's guesses
        return data if isinstance(data, dict) else None

    def write_mapping(self, token: str, owner: str, data: dict) -> None:
        """Keep a mapping state (a JSON object) with a token's upload, replacing the last
        one; DataFileError when it is larger than MAPPING_MAX_BYTES."""
        folder = self._owned_folder(token, owner)
        text = json.dumps(data, ensure_ascii=False)
        if len(text.encode()) > MAPPING_MAX_BYTES:
            raise DataFileError(f"the mapping is larger than {MAPPING_MAX_BYTES >> 20} MB")
        partial = folder / f"{MAPPING_FILE}.partial"
        partial.write_text(text, encoding="utf-8")
        partial.replace(folder / MAPPING_FILE)

    def discard(self, token: str, owner: str) -> None:
        """Remove a token's upload (after import or on cancel); NotFoundError when the token
        is not `owner`'s."""
        shutil.rmtree(self._owned_folder(token, owner), ignore_errors=True)

    def remove_stale(self, now: float | None = None) -> None:
        """Remove uploads older than MAX_AGE_S."""
        now = now or time.time()
        if not self.folder.is_dir():
            return
        for folder in self.folder.iterdir():
            if folder.is_dir() and now - folder.stat().st_mtime > MAX_AGE_S:
                shutil.rmtree(folder, ignore_errors=True)


def _safe_name(filename: str) -> str:
    """A plain file name from a browser-supplied one (no folders, no odd characters)."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w.\-]", "_", name)[-100:].lstrip(".")
    return name or "upload"
