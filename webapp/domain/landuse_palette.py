"""The map colour of every land-use class: the standard's colour, and distinct shades of the
parent's colour for sub-classes that have none of their own (the web map's legend, brochures,
the dashboard and the style documents for GIS clients all read this one palette)."""

import colorsys
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

# Lightness steps (HLS, 0..1) tried in turn for the n-th shaded sibling: alternately lighter and
# darker, large steps first so neighbours on the map stay easy to tell apart.
LIGHTNESS_STEPS = (0.15, -0.15, 0.28, -0.28, 0.08, -0.08, 0.22, -0.22, 0.34, -0.34, 0.04, -0.04,
                   0.11, -0.11, 0.18, -0.18, 0.25, -0.25, 0.31, -0.31, 0.38, -0.38)
LIGHTNESS_RANGE = (0.12, 0.9)  # darker is black, lighter is white, whatever the hue


class ColouredClass(Protocol):
    """What the palette needs of a land-use class (webapp.domain.landuse.LandUse has it)."""

    @property
    def scheme(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def color(self) -> str: ...


def shade(color: str, step: float) -> str:
    """`color` (#rrggbb) with its HLS lightness moved by step (clamped), as #rrggbb."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    lightness = min(max(lightness + step, LIGHTNESS_RANGE[0]), LIGHTNESS_RANGE[1])
    rgb = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


def landuse_palette(classes: Iterable[ColouredClass]) -> dict[tuple[str, str], str]:
    """(scheme, code) → #rrggbb. When two or more sub-classes of one parent carry exactly the
    parent's colour (no standard colour of their own), the first keeps it and the others get
    shades of it that no other class of the scheme uses."""
    classes = sorted(classes, key=lambda c: (c.scheme, len(c.code), c.code))
    palette = {(c.scheme, c.code): c.color.lower() for c in classes}
    used: dict[str, set[str]] = defaultdict(set)
    for c in classes:
        used[c.scheme].add(c.color.lower())
    children: dict[tuple[str, str], list[ColouredClass]] = defaultdict(list)
    for c in classes:
        if c.parent:
            children[(c.scheme, c.parent)].append(c)
    for (scheme, parent), siblings in children.items():
        base = next((c.color.lower() for c in classes
                     if c.scheme == scheme and c.code == parent), None)
        inheriting = [c for c in siblings if c.color.lower() == base]
        if base is None or len(inheriting) < 2:
            continue
        steps = iter(LIGHTNESS_STEPS)
        for c in inheriting[1:]:
            colour = base
            for step in steps:
                colour = shade(base, step)
                if colour not in used[scheme]:
                    break
            used[scheme].add(colour)
            palette[(scheme, c.code)] = colour
    return palette
