"""The brochure's map image (no Flask, no basemap, no network): one parcel filled in its
land-use colour, its neighbours fainter, the context layers (roads, the river...) under them, a
scale bar and a north arrow, drawn with Pillow from coordinates projected to the CGCS2000
Gauss-Kruger zone of the parcel (metres on the ground, grid north up)."""

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from PIL import Image, ImageDraw, ImageFont
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from webapp.domain.context import CONTEXT_KINDS, distance_epsg

SUPERSAMPLE = 2  # drawn this many times larger, then reduced: smooth edges
MIN_MARGIN_M = 150.0  # ground shown around the parcel at least
NICE_LENGTHS_M = (20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
BACKGROUND = (255, 255, 255)
OUTLINE = (33, 37, 41)
NEIGHBOUR_OUTLINE = (134, 142, 150)
NEIGHBOUR_TINT = 0.35  # share of a neighbour's colour mixed into white
CONTEXT_TINT = {"polygon": 0.45}


@functools.lru_cache(maxsize=16)
def transformer_between(source_epsg: int, target_epsg: int) -> Transformer:
    """A lon/lat-ordered (always_xy) transformer, made once per process and CRS pair (making
    one costs far more than using it)."""
    return Transformer.from_crs(source_epsg, target_epsg, always_xy=True)


@dataclass(frozen=True)
class ContextShape:
    """One context feature to draw: its kind (domain.context.CONTEXT_KINDS) and lon/lat shape."""

    kind: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class MapFrame:
    """Where the image looks: a projected CRS, its extent in metres and the image size."""

    epsg: int
    extent_m: tuple[float, float, float, float]  # minx, miny, maxx, maxy
    width_px: int
    height_px: int

    def metres_per_pixel(self) -> float:
        """Ground metres per output pixel."""
        return (self.extent_m[2] - self.extent_m[0]) / self.width_px

    def to_pixels(self, geometry: BaseGeometry, scale: int = 1) -> BaseGeometry:
        """A lon/lat geometry in image pixels (x right, y down) of an image `scale` times
        the output size."""
        transformer = transformer_between(4326, self.epsg)
        minx, _miny, _maxx, maxy = self.extent_m
        factor = scale / self.metres_per_pixel()

        def project(coords):
            x, y = transformer.transform(coords[:, 0], coords[:, 1])
            return np.column_stack(((x - minx) * factor, (maxy - y) * factor))

        return shapely.transform(geometry, project)

    def lonlat_bounds(self) -> tuple[float, float, float, float]:
        """The extent in lon/lat (for reading the neighbours and context features)."""
        return transformer_between(self.epsg, 4326).transform_bounds(*self.extent_m)


def frame_parcel(geometry: BaseGeometry, width_px: int, height_px: int) -> MapFrame:
    """A frame centred on the parcel with its size plus a margin, at the image's aspect."""
    centre = geometry.centroid
    epsg = distance_epsg(centre.x)
    minx, miny, maxx, maxy = transformer_between(4326, epsg).transform_bounds(*geometry.bounds)
    margin = max(MIN_MARGIN_M, 0.6 * max(maxx - minx, maxy - miny))
    half_w, half_h = (maxx - minx) / 2 + margin, (maxy - miny) / 2 + margin
    aspect = width_px / height_px
    half_w, half_h = max(half_w, half_h * aspect), max(half_h, half_w / aspect)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return MapFrame(epsg, (cx - half_w, cy - half_h, cx + half_w, cy + half_h),
                    width_px, height_px)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """#rrggbb as an (r, g, b) tuple."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def tint(colour: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    """The colour mixed into white: share 1 is the colour, 0 white."""
    return tuple(round(255 - (255 - c) * share) for c in colour)  # type: ignore[return-value]


def _polygons(geometry: BaseGeometry):
    return [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type == "Polygon"]


def _lines(geometry: BaseGeometry):
    parts = getattr(geometry, "geoms", [geometry])
    rings = [r for g in parts if g.geom_type == "Polygon" for r in (g.exterior, *g.interiors)]
    return [g for g in parts if g.geom_type == "LineString"] + rings


def draw_polygon(image: Image.Image, geometry: BaseGeometry, fill, outline, width: int) -> None:
    """Fill polygons (holes left open) and stroke their rings."""
    draw = ImageDraw.Draw(image)
    for polygon in _polygons(geometry):
        if fill is not None and polygon.interiors:
            mask = Image.new("L", image.size, 0)
            mask_draw = ImageDraw.Draw(mask)
            mask_draw.polygon(list(polygon.exterior.coords), fill=255)
            for hole in polygon.interiors:
                mask_draw.polygon(list(hole.coords), fill=0)
            image.paste(fill, mask=mask)
        elif fill is not None:
            draw.polygon(list(polygon.exterior.coords), fill=fill)
    if outline is not None and width > 0:
        for ring in _lines(geometry):
            draw.line(list(ring.coords), fill=outline, width=width, joint="curve")


def draw_context(image: Image.Image, shape: BaseGeometry, kind_key: str, scale: int) -> None:
    """One context feature in its kind's colour: areas lightly filled, lines, points as dots."""
    kind = CONTEXT_KINDS.get(kind_key, CONTEXT_KINDS["other"])
    colour = rgb(kind.colour)
    width = max(1, round(kind.width * scale))
    if kind.family == "polygon":
        fill = None if kind_key == "street_boundary" else tint(colour, CONTEXT_TINT["polygon"])
        draw_polygon(image, shape, fill, colour, width)
    elif kind.family == "line":
        draw = ImageDraw.Draw(image)
        for line in _lines(shape):
            draw.line(list(line.coords), fill=colour, width=width, joint="curve")
    else:
        draw = ImageDraw.Draw(image)
        radius = 6 * scale
        for point in getattr(shape, "geoms", [shape]):
            draw.ellipse((point.x - radius, point.y - radius, point.x + radius,
                          point.y + radius), fill=colour, outline=(255, 255, 255), width=scale)


def scale_bar_length_m(metres_per_pixel: float, width_px: int) -> int:
    """The longest round length that fits in a quarter of the image width."""
    fitting = [n for n in NICE_LENGTHS_M if n / metres_per_pixel <= width_px / 4]
    return fitting[-1] if fitting else NICE_LENGTHS_M[0]


def draw_scale_and_north(image: Image.Image, frame: MapFrame) -> None:
    """A scale bar (bottom left, metres or km) and a north arrow (top right), at output size."""
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(12, frame.height_px // 28))
    length_m = scale_bar_length_m(frame.metres_per_pixel(), frame.width_px)
    bar_px = round(length_m / frame.metres_per_pixel())
    x0, y0 = 16, frame.height_px - 20
    draw.rectangle((x0 - 6, y0 - 30, x0 + bar_px + 60, y0 + 10), fill=(255, 255, 255))
    draw.rectangle((x0, y0 - 6, x0 + bar_px, y0), fill=OUTLINE)
    label = f"{length_m // 1000} km" if length_m >= 1000 else f"{length_m} m"
    draw.text((x0 + bar_px + 6, y0 + 2), label, fill=OUTLINE, font=font, anchor="ls")
    draw.text((x0, y0 - 10), "0", fill=OUTLINE, font=font, anchor="ls")
    cx, top = frame.width_px - 30, 14
    draw.polygon([(cx, top), (cx + 11, top + 34), (cx, top + 26), (cx - 11, top + 34)],
                 fill=OUTLINE)
    draw.text((cx, top + 52), "N", fill=OUTLINE, font=font, anchor="ms")


def draw_parcel_map(parcel: BaseGeometry, fill_hex: str, frame: MapFrame,
                    neighbours: Sequence[tuple[BaseGeometry, str]] = (),
                    context: Sequence[ContextShape] = ()) -> bytes:
    """The map as PNG bytes: context under neighbours (their land-use colours, faint) under
    the parcel (its land-use colour, exactly, with a dark outline); scale bar, north arrow."""
    scale = SUPERSAMPLE
    image = Image.new("RGB", (frame.width_px * scale, frame.height_px * scale), BACKGROUND)
    kinds_order = {"polygon": 0, "line": 1, "point": 2}
    for shape in sorted(context, key=lambda s: kinds_order.get(
            CONTEXT_KINDS.get(s.kind, CONTEXT_KINDS["other"]).family, 0)):
        draw_context(image, frame.to_pixels(shape.geometry, scale), shape.kind, scale)
    for geometry, colour in neighbours:
        draw_polygon(image, frame.to_pixels(geometry, scale), tint(rgb(colour), NEIGHBOUR_TINT),
                     NEIGHBOUR_OUTLINE, scale)
    draw_polygon(image, frame.to_pixels(parcel, scale), rgb(fill_hex), OUTLINE, 2 * scale)
    image = image.resize((frame.width_px, frame.height_px), Image.Resampling.BOX)
    draw_scale_and_north(image, frame)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # fast; the PDF compresses again
    return buffer.getvalue()
