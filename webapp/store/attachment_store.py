"""The attachment interface every backend implements, reached as `store.attachments`: a
parcel's photos and documents (checked, re-encoded content) kept in the store itself (BLOB on
GeoPackage, bytea on PostGIS), so a backup holds them, with their history.

Attachments belong to a parcel *code*, not its id, so a re-import that rebuilds the parcels
keeps them. Removing one deletes its bytes for good (a file attached by mistake may hold what
must not be kept); the history row of its removal keeps who removed which file and when.
Whether a parcel is a draft is not the store's business: public views check that first.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass

ATTACHMENT_KINDS = ("image", "pdf")
ATTACHMENT_ACTIONS = ("added", "removed", "caption", "internal", "position")


@dataclass(frozen=True)
class NewAttachment:
    """A checked file ready to store: re-encoded image (with its thumbnail) or a checked PDF."""

    kind: str  # image | pdf
    media_type: str  # image/jpeg, image/png, image/webp, application/pdf
    filename: str  # the uploaded name, cleaned (shown to people, never a path)
    content: bytes
    thumbnail: bytes | None = None  # images only: a small JPEG/PNG/WebP of the same type
    width_px: int | None = None
    height_px: int | None = None
    flags: str = ""  # what a check noted and let through (e.g. "pdf-links")


@dataclass(frozen=True)
class Attachment:
    """A stored attachment without its bytes."""

    id: int
    parcel_code: str
    kind: str
    media_type: str
    filename: str
    caption: str
    internal: bool  # staff only, never public
    position: int  # gallery order, smallest first
    size_bytes: int
    width_px: int | None
    height_px: int | None
    sha256: str  # of the content: the ETag
    added_at: str  # ISO 8601 UTC
    added_by: str
    flags: str


@dataclass(frozen=True)
class AttachmentChange:
    """One history row: who added, removed or changed which attachment of which parcel."""

    id: int
    changed_at: str
    actor: str
    attachment_id: int
    parcel_code: str
    action: str  # one of ATTACHMENT_ACTIONS
    detail: str  # the file name, or the new caption / flag / position


class AttachmentStore(ABC):
    """Photos and documents of parcels, beside the parcels (both backends)."""

    @abstractmethod
    def add(self, parcel_code: str, new: NewAttachment, caption: str, internal: bool,
            actor: str) -> Attachment:
        """Store a checked file last in the parcel's order, with an `added` history row."""

    @abstractmethod
    def attachments(self, parcel_code: str, include_internal: bool = True) -> list[Attachment]:
        """A parcel's attachments in gallery order (position, then id)."""

    @abstractmethod
    def get(self, attachment_id: int) -> Attachment | None:
        """One attachment by id, or None."""

    @abstractmethod
    def content(self, attachment_id: int, thumbnail: bool = False) -> bytes | None:
        """The stored bytes (or the image's thumbnail), None when there are none."""

    @abstractmethod
    def remove(self, attachment_id: int, actor: str) -> Attachment:
        """Delete an attachment and its bytes, with a `removed` history row; NotFoundError."""

    @abstractmethod
    def update(self, attachment_id: int, actor: str, caption: str | None = None,
               internal: bool | None = None, position: int | None = None) -> Attachment:
        """Change caption, internal flag or position (None: unchanged), one history row per
        changed value; NotFoundError for an unknown id."""

    @abstractmethod
    def changes(self, parcel_code: str | None = None, limit: int = 100) -> list[AttachmentChange]:
        """History rows (of one parcel), newest first."""

    def first_photo(self, parcel_code: str) -> bytes | None:
        """The first public image of a parcel (its re-encoded bytes), for the brochure; the
        caller checks that the parcel itself is published."""
        for attachment in self.attachments(parcel_code, include_internal=False):
            if attachment.kind == "image":
                return self.content(attachment.id)
        return None
