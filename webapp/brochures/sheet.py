"""One brochure page's content read from the store (no Flask): the parcel, its map image with
the published neighbours and context features around it, its QR code and its first photo."""

import base64
import io
from dataclasses import dataclass

import shapely
from PIL import Image, UnidentifiedImageError

from webapp.brochures.map_image import ContextShape, MapFrame, draw_parcel_map, frame_parcel
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import Parcel
from webapp.store import ParcelStore

MAP_WIDTH_PX = 1000  # about 150 dpi over the page's 170 mm text width
MAP_HEIGHT_PX = 540
MAX_NEIGHBOURS = 300  # parcels drawn around one parcel at most
MAX_CONTEXT_FEATURES = 500  # features of one context layer drawn at most
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass(frozen=True)
class BrochureSheet:
    """One parcel's brochure page: images as bytes, ready for data: URIs."""

    parcel: Parcel
    share_url: str
    map_png: bytes
    qr_png: bytes
    photo: tuple[str, bytes] | None = None  # (media type, bytes)

    @property
    def map_uri(self) -> str:
        """The map image as a data: URI."""
        return data_uri("image/png", self.map_png)

    @property
    def qr_uri(self) -> str:
        """The QR code as a data: URI."""
        return data_uri("image/png", self.qr_png)

    @property
    def photo_uri(self) -> str | None:
        """The first photo as a data: URI, None without one."""
        return data_uri(*self.photo) if self.photo else None


def data_uri(media_type: str, content: bytes) -> str:
    """A base64 data: URI of the bytes."""
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def image_media_type(content: bytes) -> str | None:
    """The media type of JPEG, PNG or WebP bytes by their content; None for anything else."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            return PHOTO_TYPES.get(image.format or "")
    except (UnidentifiedImageError, OSError):
        return None


def neighbours_of(store: ParcelStore, parcel: Parcel, frame: MapFrame,
                  table: LandUseTable) -> list[tuple[shapely.Geometry, str]]:
    """The published parcels in the frame besides this one, with their land-use colours."""
    page = store.query(ParcelFilter(bbox=frame.lonlat_bounds()), limit=MAX_NEIGHBOURS)
    return [(p.geometry, table.color(p.land_use)) for p in page.parcels
            if p.id != parcel.id and p.geometry is not None]


def context_in(store: ParcelStore, frame: MapFrame) -> list[ContextShape]:
    """The context features in the frame, each clipped to it (lon/lat)."""
    bounds = frame.lonlat_bounds()
    shapes = []
    for layer in store.context.layers():
        if not layer.feature_count:
            continue
        features = store.context.features(layer.name, bounds, limit=MAX_CONTEXT_FEATURES)
        for feature in features.features:
            if feature.geometry is None:
                continue
            clipped = shapely.clip_by_rect(feature.geometry, *bounds)
            if not clipped.is_empty:
                shapes.append(ContextShape(layer.kind, clipped))
    return shapes


def first_photo(store: ParcelStore, parcel: Parcel) -> tuple[str, bytes] | None:
    """The parcel's first public photo (attachments), None when it has none; the caller
    decides whether the parcel may be shown at all."""
    attachments = getattr(store, "attachments", None)
    content = attachments.first_photo(parcel.code) if attachments is not None else None
    media_type = image_media_type(content) if content else None
    return (media_type, content) if media_type and content else None


def build_sheet(store: ParcelStore, table: LandUseTable, parcel: Parcel, share_url: str,
                qr: bytes) -> BrochureSheet:
    """A parcel's brochure page: map with neighbours and context; qr: the PNG QR code of
    share_url."""
    if parcel.geometry is None:
        parcel = store.get(parcel.id, include_drafts=True) or parcel
    frame = frame_parcel(parcel.geometry, MAP_WIDTH_PX, MAP_HEIGHT_PX)
    map_png = draw_parcel_map(parcel.geometry, table.color(parcel.land_use), frame,
                              neighbours_of(store, parcel, frame, table),
                              context_in(store, frame))
    return BrochureSheet(parcel, share_url, map_png, qr,
                         first_photo(store, parcel))
