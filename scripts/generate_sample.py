"""Generate the SYNTHETIC 花山区 sample district as RFC 7946 GeoJSON (lon/lat, EPSG:4326).

Parcels are laid out in metres in EPSG:4549 (CGCS2000 3-degree GK CM 120E): one block grid per
street (街道), blocks cut into rectangles, L-shapes and irregular quadrilaterals that never
overlap, then reprojected with GeoPandas. Same seed and count give a byte-identical file.
Street names are real 花山区 街道; roads, positions, codes and all attributes are invented.
"""

import argparse
import json
import math
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from sample_attributes import (
    assign_codes,
    build_properties,
    letter_names,
)
from sample_tables import (  # sibling modules: scripts/ is on sys.path
    BIG_FAMILIES,
    BIG_PARCEL_MU,
    COMPANION_MAX_MU,
    COMPANIONS,
    LAND_USE_FAMILY,
    MIN_SIDE_M,
    MU_M2,
    NOTCH_MIX,
    NOTCHABLE,
    P_BIG_PARCEL,
    P_COMPANION,
    P_DROP_CELL,
    P_IRREGULAR,
    P_NOTCH,
    P_NOTCH_PARCEL,
    P_SKIP_BLOCK,
    ROAD_W_M,
    RULES,
    SETBACK_M,
    STREETS,
    ParcelDraft,
    Rect,
    StreetSpec,
)
from shapely import affinity
from shapely.geometry import Polygon

WORK_CRS = "EPSG:4549"
OUT_CRS = "EPSG:4326"
CENTRE_LONLAT = (118.51, 31.70)
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "geodata" / "sample" / "parcels.geojson"
DEFAULT_SEED = 20261125
DEFAULT_COUNT = 360
MAX_COUNT = 20_000  # past this the street grids overlap (the layout spreads too little)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output GeoJSON (default: geodata/sample/parcels.geojson in the repo)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT,
                        help=f"number of parcels (1 to {MAX_COUNT:,})")
    args = parser.parse_args(argv)
    if not 1 <= args.count <= MAX_COUNT:
        parser.error(f"--count must be between 1 and {MAX_COUNT:,}: past that the streets' "
                     "parcel grids run into each other; for a large synthetic district use "
                     "scripts/bench_district.py COUNT OUT.gpkg (any size)")
    return args


def draw_code(rng: np.random.Generator, mix: dict[str, float]) -> str:
    """Draw one land-use code from a weight table."""
    codes = list(mix)
    weights = np.array([mix[code] for code in codes], dtype=float)
    return codes[int(rng.choice(len(codes), p=weights / weights.sum()))]


def allocate_quotas(count: int, shares: list[float]) -> list[int]:
    """Split count over streets by share (largest remainder), summing exactly to count."""
    raw = np.array(shares) / sum(shares) * count
    quotas = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - quotas), kind="stable")[: count - int(quotas.sum())]:
        quotas[i] += 1
    return [int(q) for q in quotas]


def draw_target_mu(rng: np.random.Generator, family: str) -> float:
    """Draw a skewed (log-normal) parcel size target in 亩."""
    return float(np.clip(RULES[family].median_mu * math.exp(0.55 * rng.normal()), 1.5, 340.0))


def cut_rect(rect: Rect, frac: float) -> tuple[Rect, Rect]:
    """Cut a rectangle across its longer side at frac of its length."""
    if rect.width >= rect.height:
        x = rect.x0 + frac * rect.width
        return Rect(rect.x0, rect.y0, x, rect.y1), Rect(x, rect.y0, rect.x1, rect.y1)
    y = rect.y0 + frac * rect.height
    return Rect(rect.x0, rect.y0, rect.x1, y), Rect(rect.x0, y, rect.x1, rect.y1)


def split_rect(rng: np.random.Generator, rect: Rect, family: str) -> list[Rect]:
    """Cut a block into parcel cells whose sizes follow the family's size distribution."""
    target_m2 = draw_target_mu(rng, family) * MU_M2
    long_side = max(rect.width, rect.height)
    if rect.area_m2 <= target_m2 * 1.15:
        return [rect]
    frac = target_m2 / rect.area_m2
    short_side = min(rect.width, rect.height)
    if frac < 0.15 or frac * long_side < 0.25 * short_side:
        frac = float(rng.uniform(0.38, 0.62))
        if frac * long_side < MIN_SIDE_M or (1 - frac) * long_side < MIN_SIDE_M:
            return [rect]
        head, tail = cut_rect(rect, frac)
        return split_rect(rng, head, family) + split_rect(rng, tail, family)
    frac = min(frac, 0.7)
    if frac * long_side < MIN_SIDE_M or (1 - frac) * long_side < MIN_SIDE_M:
        return [rect]
    if rng.random() < 0.5:
        head, tail = cut_rect(rect, frac)
        return [head, *split_rect(rng, tail, family)]
    head, tail = cut_rect(rect, 1 - frac)
    return [*split_rect(rng, head, family), tail]


def carve_big_parcel(rng: np.random.Generator, block: Rect, family: str) -> list[Rect]:
    """One big project parcel (200-380 亩, or the whole block) plus the rest of the block split."""
    frac = float(rng.uniform(*BIG_PARCEL_MU)) * MU_M2 / block.area_m2
    if frac > 0.8:
        return [block]
    head, tail = cut_rect(block, frac)
    return [head, *split_rect(rng, tail, family)]


def jitter_quad(rng: np.random.Generator, cell: Rect, setback: float) -> Polygon:
    """Quadrilateral inside the cell: each corner moved inwards by the setback plus jitter."""
    spread = 0.12 if rng.random() < P_IRREGULAR else 0.02
    dx = setback + rng.uniform(0, spread * cell.width, 4)
    dy = setback + rng.uniform(0, spread * cell.height, 4)
    quad = Polygon(
        [
            (cell.x0 + dx[0], cell.y0 + dy[0]),
            (cell.x1 - dx[1], cell.y0 + dy[1]),
            (cell.x1 - dx[2], cell.y1 - dy[2]),
            (cell.x0 + dx[3], cell.y1 - dy[3]),
        ]
    )
    if quad.is_valid:
        return quad
    return Polygon(
        [
            (cell.x0 + setback, cell.y0 + setback),
            (cell.x1 - setback, cell.y0 + setback),
            (cell.x1 - setback, cell.y1 - setback),
            (cell.x0 + setback, cell.y1 - setback),
        ]
    )


def notch_cell(
    rng: np.random.Generator, cell: Rect, use: str, setback: float
) -> list[tuple[Polygon, str]]:
    """L-shaped parcel with a corner notch; the notch may become a small parcel of its own."""
    nw, nh = cell.width * rng.uniform(0.25, 0.45), cell.height * rng.uniform(0.25, 0.45)
    flip_x, flip_y = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
    w, h, s = cell.width, cell.height, setback
    local = [
        (s, s),
        (w - s, s),
        (w - s, h - nh - s),
        (w - nw - s, h - nh - s),
        (w - nw - s, h - s),
        (s, h - s),
    ]  # notch at the top-right corner before flips
    ring = [
        (cell.x1 - u if flip_x else cell.x0 + u, cell.y1 - v if flip_y else cell.y0 + v)
        for u, v in local
    ]
    pieces = [(Polygon(ring), use)]
    if rng.random() < P_NOTCH_PARCEL:
        nx0 = cell.x0 if flip_x else cell.x1 - nw
        ny0 = cell.y0 if flip_y else cell.y1 - nh
        notch = Rect(nx0, ny0, nx0 + nw, ny0 + nh)
        pieces.append((jitter_quad(rng, notch, s), draw_code(rng, NOTCH_MIX)))
    return pieces


def shape_cell(rng: np.random.Generator, cell: Rect, use: str) -> list[tuple[Polygon, str]]:
    """Turn a cell into one or two parcel polygons (quad, or L-shape plus notch parcel)."""
    setback = min(float(rng.uniform(*SETBACK_M)), 0.06 * min(cell.width, cell.height))
    family = LAND_USE_FAMILY[use]
    if cell.area_m2 > 30 * MU_M2 and family in NOTCHABLE and rng.random() < P_NOTCH:
        return notch_cell(rng, cell, use, setback)
    return [(jitter_quad(rng, cell, setback), use)]


def vary_land_use(rng: np.random.Generator, block_use: str, cell: Rect) -> str:
    """Mostly the block's land use; a small cell may get a companion use (配套, green, school)."""
    companions = COMPANIONS.get(LAND_USE_FAMILY[block_use])
    if companions and cell.area_m2 <= COMPANION_MAX_MU * MU_M2 and rng.random() < P_COMPANION:
        return draw_code(rng, companions)
    return block_use


def fill_block(
    rng: np.random.Generator, spec: StreetSpec, block: Rect, row: int, col: int
) -> list[ParcelDraft]:
    """Cut one block into parcels; some cells are left out (already built, not offered)."""
    block_use = draw_code(rng, spec.mix)
    family = LAND_USE_FAMILY[block_use]
    offered_m2 = RULES[family].median_mu * MU_M2 * float(rng.uniform(5, 10))
    if offered_m2 < block.area_m2:  # small-parcel uses take a strip of the block only
        block = cut_rect(block, offered_m2 / block.area_m2)[0]
    if family in BIG_FAMILIES and rng.random() < P_BIG_PARCEL:
        cells = carve_big_parcel(rng, block, family)
    else:
        cells = split_rect(rng, block, family)
    drafts = []
    for cell in cells:
        if rng.random() < P_DROP_CELL:
            continue
        for geom, use in shape_cell(rng, cell, vary_land_use(rng, block_use, cell)):
            drafts.append(ParcelDraft(spec, use, geom, row, col))
    return drafts


def layout_street(rng: np.random.Generator, spec: StreetSpec, quota: int) -> list[ParcelDraft]:
    """Lay out block rows along the street's road grid until quota parcels exist (local metres)."""
    columns, x = [], 0.0
    for _ in range(spec.cols):
        x += float(rng.uniform(*ROAD_W_M))
        width = float(rng.uniform(*spec.block_w_m))
        columns.append((x, x + width))
        x += width
    drafts: list[ParcelDraft] = []
    y, row = 0.0, 0
    while len(drafts) < quota:
        y += float(rng.uniform(*ROAD_W_M))
        height = float(rng.uniform(*spec.block_h_m))
        for col, (x0, x1) in enumerate(columns):
            if rng.random() >= P_SKIP_BLOCK:
                drafts.extend(fill_block(rng, spec, Rect(x0, y, x1, y + height), row, col))
        y += height
        row += 1
    return drafts[:quota]


def place_street(drafts: list[ParcelDraft], spec: StreetSpec, spread: float) -> None:
    """Rotate the street grid and move it to its anchor, in EPSG:4549 metres (in place)."""
    to_work = Transformer.from_crs(OUT_CRS, WORK_CRS, always_xy=True)
    centre_x, centre_y = to_work.transform(*CENTRE_LONLAT)
    anchor_x = centre_x + spec.offset_km[0] * 1000 * spread
    anchor_y = centre_y + spec.offset_km[1] * 1000 * spread
    x0, y0, x1, y1 = shapely.total_bounds([d.geom for d in drafts])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    for draft in drafts:
        turned = affinity.rotate(draft.geom, spec.angle_deg, origin=(cx, cy))
        draft.geom = affinity.translate(turned, anchor_x - cx, anchor_y - cy)


def check_streets_apart(groups: list[list[ParcelDraft]]) -> None:
    """Raise ValueError when the parcel hulls of two streets touch or overlap."""
    hulls = [shapely.convex_hull(shapely.union_all([d.geom for d in g])) for g in groups if g]
    for i, hull in enumerate(hulls):
        for other in hulls[i + 1 :]:
            if hull.intersects(other):
                raise ValueError("street grids overlap; spread the street offsets further")


def generate_drafts(rng: np.random.Generator, count: int) -> list[ParcelDraft]:
    """Lay out and place every street's parcels in EPSG:4549."""
    quotas = allocate_quotas(count, [spec.share for spec in STREETS])
    spread = max(1.0, math.sqrt(count / DEFAULT_COUNT))
    groups = []
    for spec, quota in zip(STREETS, quotas, strict=True):
        drafts = layout_street(rng, spec, quota)
        if drafts:
            place_street(drafts, spec, spread)
        groups.append(drafts)
    check_streets_apart(groups)
    return [draft for group in groups for draft in group]


def polygon_coordinates(geom: Polygon) -> list[list[list[float]]]:
    """RFC 7946 polygon coordinates: counter-clockwise exterior, 7 decimals."""
    ring = shapely.orient_polygons(geom).exterior
    return [[[round(float(x), 7), round(float(y), 7)] for x, y in ring.coords]]


def generate_features(seed: int, count: int) -> list[dict]:
    """Generate count synthetic parcels as GeoJSON Feature dicts (lon/lat)."""
    rng = np.random.default_rng(seed)
    drafts = generate_drafts(rng, count)
    index = {spec.name: i for i, spec in enumerate(STREETS)}
    props = [build_properties(rng, d, index[d.street.name]) for d in drafts]
    codes = assign_codes(rng, [p["status"] for p in props])
    names = letter_names([p["name"] for p in props])
    geoms = gpd.GeoSeries([d.geom for d in drafts], crs=WORK_CRS).to_crs(OUT_CRS)
    features = []
    for prop, code, name, geom in zip(props, codes, names, geoms, strict=True):
        prop.update(code=code, name=name)
        features.append(
            {
                "type": "Feature",
                "properties": prop,
                "geometry": {"type": "Polygon", "coordinates": polygon_coordinates(geom)},
            }
        )
    return features


def write_geojson(features: list[dict], path: Path) -> None:
    """Write a FeatureCollection, one feature per line, UTF-8 with LF line ends on every OS."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    text = '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"
    path.write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Generate the sample district and write it."""
    args = parse_args(argv)
    features = generate_features(args.seed, args.count)
    write_geojson(features, args.out)
    print(f"wrote {len(features)} synthetic parcels to {args.out} (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
