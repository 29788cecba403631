"""Photos checked by content and re-encoded with Pillow: JPEG, PNG or WebP in, the same format
out, orientation applied, scaled down to a maximum side, a thumbnail, and nothing of the
original's metadata (EXIF with GPS, XMP, comments, ICC) kept. Pure: no Flask."""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.attachments.refusal import AttachmentRefusedError
from webapp.domain.messages import N_
from webapp.store.attachment_store import NewAttachment

MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_PX = 480
QUALITY = 85


def _decoded(data: bytes, name: str, max_pixels: int) -> tuple[Image.Image, str]:
    """The first frame decoded and turned upright, with its format; refused when it is no
    JPEG/PNG/WebP, is damaged, or has more than max_pixels (checked before decoding)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(MEDIA_TYPES)) as opened:
                if opened.width * opened.height > max_pixels:
                    raise AttachmentRefusedError(
                        N_("“%(name)s” has %(pixels)s pixels; at most %(limit)s are accepted."),
                        {"name": name, "pixels": opened.width * opened.height,
                         "limit": max_pixels}, 413)
                image_format = str(opened.format)
                opened.seek(0)
                upright = ImageOps.exif_transpose(opened)
                upright.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, AttachmentRefusedError):
            raise
        raise AttachmentRefusedError(N_("“%(name)s” is not a readable JPEG, PNG or WebP photo."),
                                     {"name": name}) from None
    return upright, image_format


def _plain(image: Image.Image, image_format: str) -> Image.Image:
    """The pixels alone in a mode the format writes: a new image, so no metadata of the
    upload (info, EXIF, XMP, ICC profile, text chunks) can travel with it."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha and image_format != "JPEG" else "RGB"
    if image.mode == "L" and not has_alpha:
        mode = "L"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _encoded(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    options = {"optimize": True} if image_format == "PNG" else {"quality": QUALITY}
    image.save(out, format=image_format, **options)
    return out.getvalue()


def check_image(data: bytes, name: str, max_side_px: int, max_pixels: int) -> NewAttachment:
    """A photo re-encoded in its own format (upright, at most max_side_px on its longer side,
    no metadata) with a THUMBNAIL_PX thumbnail; AttachmentRefusedError otherwise."""
    upright, image_format = _decoded(data, name, max_pixels)
    clean = _plain(upright, image_format)
    clean.thumbnail((max_side_px, max_side_px), Image.Resampling.LANCZOS)
    thumbnail = clean.copy()
    thumbnail.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX), Image.Resampling.LANCZOS)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return NewAttachment(kind="image", media_type=MEDIA_TYPES[image_format],
                         filename=f"{stem}.{EXTENSIONS[image_format]}",
                         content=_encoded(clean, image_format),
                         thumbnail=_encoded(thumbnail, image_format),
                         width_px=clean.width, height_px=clean.height)
