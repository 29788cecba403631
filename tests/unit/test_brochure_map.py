"""The brochure's map image and PDF renderer without an app: frame, scale bar, offline fetch."""

import io

import pytest
from PIL import Image
from shapely.geometry import box
from weasyprint.urls import URLFetchingError

from webapp.brochures.map_image import (
    draw_parcel_map,
    frame_parcel,
    rgb,
    scale_bar_length_m,
)
from webapp.brochures.pdf import offline_fetcher

PARCEL = box(118.500, 31.700, 118.502, 31.702)  # about 190 m × 220 m


def test_frame_keeps_the_image_aspect_and_a_margin():
    frame = frame_parcel(PARCEL, 1000, 500)
    minx, miny, maxx, maxy = frame.extent_m
    assert (maxx - minx) / (maxy - miny) == pytest.approx(2.0)
    assert (maxy - miny) > 220 + 2 * 150 - 1  # the parcel plus the smallest margin


@pytest.mark.parametrize(("metres_per_pixel", "expected"), [(1.0, 200), (0.1, 20), (10.0, 2000)])
def test_scale_bar_is_a_round_length_within_a_quarter_width(metres_per_pixel, expected):
    assert scale_bar_length_m(metres_per_pixel, 1000) == expected


def test_map_png_fills_the_parcel_in_its_colour_at_the_centre():
    frame = frame_parcel(PARCEL, 400, 300)
    image = Image.open(io.BytesIO(draw_parcel_map(PARCEL, "#c07040", frame)))
    assert image.size == (400, 300) and image.getpixel((200, 150)) == rgb("#c07040")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1/x.png",
                                 "https://example.test/logo.png"])
def test_pdf_fetcher_opens_data_uris_only(url):
    with pytest.raises((ValueError, URLFetchingError)):
        offline_fetcher().fetch(url)
