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
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import Polygon

MU_M2 = 10000 / 15  # 1 亩 in m²
WORK_CRS = "EPSG:4549"
OUT_CRS = "EPSG:4326"
CENTRE_LONLAT = (118.51, 31.70)
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "geodata" / "sample" / "parcels.geojson"
DEFAULT_SEED = 20261125
DEFAULT_COUNT = 360


@dataclass(frozen=True)
class UseRule:
    """Sizes, lease and planning limits drawn for one land-use family (亩, 年, 万元/亩, %, m)."""

    word: str  # used in parcel names, e.g. 工业 → …工业地块
    median_mu: float  # median parcel size, 亩 (log-normal)
    lease_years: int | None
    price_per_mu: tuple[float, float] | None  # starting price range, 万元/亩
    far_min: tuple[float, float] | None  # 容积率 lower bound range
    far_span: tuple[float, float]  # far_max = far_min + span
    far_open_p: float  # probability that far_max is left open (null)
    density: tuple[str, int, int] | None  # ("min" | "max", lo %, hi %) 建筑密度
    green: tuple[str, int, int] | None  # ("min" | "max", lo %, hi %) 绿地率
    heights: tuple[int, ...]  # 建筑限高 choices, m
    height_open_p: float  # probability of no height limit


@dataclass(frozen=True)
class StreetSpec:
    """One street's block grid: position (km from the district centre), shape and land-use mix."""

    name: str
    offset_km: tuple[float, float]  # east, north of CENTRE_LONLAT
    angle_deg: float  # grid rotation, counter-clockwise
    share: float  # share of the parcel count
    cols: int  # blocks per row
    block_w_m: tuple[float, float]
    block_h_m: tuple[float, float]
    mix: dict[str, float]  # land-use code → weight, drawn per block
    ns_roads: tuple[str, ...]  # north-south roads, west to east
    ew_roads: tuple[str, ...]  # east-west roads, south to north
    riverside: bool = False
    park: str | None = None  # park name used for research / business parcels


# Tables below are kept one row per entry so they read as tables; ruff format would explode them.
# fmt: off
ROAD_W_M = (24.0, 48.0)  # road corridor between blocks, metres
SETBACK_M = (3.0, 9.0)  # parcel boundary set back from the road or neighbour line, metres
MIN_SIDE_M = 24.0
P_SKIP_BLOCK, P_DROP_CELL, P_COMPANION, P_BIG_PARCEL = 0.15, 0.12, 0.08, 0.12
P_IRREGULAR, P_NOTCH, P_NOTCH_PARCEL, P_NOTE = 0.3, 0.15, 0.7, 0.3
BIG_FAMILIES, BIG_PARCEL_MU = ("industrial", "logistics", "reserve"), (200.0, 380.0)
COMPANION_MAX_MU = 40.0
STATUSES = ("available", "negotiating", "sold", "reserve")
STATUS_P = (0.64, 0.14, 0.12, 0.10)
YEARS_BY_STATUS = {"available": (2022, 2026), "negotiating": (2024, 2026),
                   "sold": (2019, 2024), "reserve": (2023, 2026)}
SUPPLY_METHODS = ("listing", "auction", "tender", "agreement")
SUPPLY_MIX = {  # weights in SUPPLY_METHODS order
    "industrial": (0.80, 0.05, 0.05, 0.10), "logistics": (0.85, 0.05, 0.05, 0.05),
    "commercial": (0.60, 0.35, 0.05, 0.0), "business": (0.60, 0.30, 0.10, 0.0),
    "service": (0.70, 0.30, 0.0, 0.0), "residential": (0.55, 0.45, 0.0, 0.0),
    "research": (0.50, 0.0, 0.20, 0.30), "education": (0.40, 0.0, 0.30, 0.30)}
INVEST_WAN_PER_MU = (300, 320, 350, 380, 400, 420, 450)
TAX_WAN_PER_MU = (15, 18, 20, 22, 25, 28, 30)
LAND_USE_FAMILY = {
    "100101": "industrial", "100102": "industrial", "100103": "industrial",
    "110101": "logistics", "110102": "logistics", "0901": "commercial", "0902": "business",
    "0904": "service", "0701": "residential", "0802": "research", "0804": "education",
    "1401": "green", "16": "reserve"}
COMPANIONS = {  # occasional other use for a small cell inside a block of this family
    "industrial": {"0904": 0.5, "1401": 0.5}, "logistics": {"0904": 1.0},
    "commercial": {"0902": 0.6, "0904": 0.4}, "business": {"0901": 1.0},
    "residential": {"0804": 0.4, "1401": 0.3, "0901": 0.3}, "research": {"0902": 1.0}}
NOTCH_MIX = {"0904": 0.6, "1401": 0.25, "0901": 0.15}
NOTCHABLE = ("industrial", "logistics", "commercial", "residential", "research")
NOTES = {
    "industrial": ("净地出让", "按“标准地”出让，建设工期18个月", "须配套建设污水预处理设施",
                   "优先引进新能源汽车零部件项目", "不得分割转让"),
    "logistics": ("净地出让", "临近高速互通口", "限建冷链及智能仓储设施"),
    "commercial": ("净地出让", "须配建公共停车位", "不得分割销售"),
    "business": ("净地出让", "自持比例不低于30%", "须配建公共停车位"),
    "service": ("加油加气站用地", "须配建公共厕所"),
    "residential": ("净地出让", "须配建幼儿园", "配建社区服务用房"),
    "research": ("须符合软件园产业准入要求", "研发用房不得分割销售"),
    "education": ("须配建运动场地",),
    "green": ("城市公园，不出让",), "reserve": ("留白用地，规划用途待定",)}
RIVER_NOTES = ("临江，限制高污染项目", "长江岸线1公里范围内，禁止新建化工项目")
RULES = {  # fields in UseRule order
    "industrial": UseRule("工业", 55, 50, (12, 20), (1.0, 1.5), (0.5, 1.0), 0.6,
                          ("min", 40, 45), ("max", 10, 15), (24, 30, 36, 45), 0.3),
    "logistics": UseRule("物流", 65, 50, (13, 22), (1.0, 1.2), (0.8, 1.2), 0.4,
                         ("min", 40, 50), ("max", 10, 15), (24, 30), 0.3),
    "commercial": UseRule("商业", 14, 40, (90, 220), (1.5, 2.0), (1.0, 1.5), 0.0,
                          ("max", 40, 55), ("min", 15, 20), (45, 60, 80, 100), 0.0),
    "business": UseRule("商务", 12, 40, (110, 260), (2.0, 3.0), (1.0, 1.5), 0.0,
                        ("max", 35, 50), ("min", 15, 25), (60, 80, 100, 120), 0.0),
    "service": UseRule("商业服务", 5, 40, (60, 130), (0.5, 1.0), (0.3, 1.0), 0.0,
                       ("max", 35, 50), ("min", 10, 20), (15, 18, 24), 0.0),
    "residential": UseRule("住宅", 60, 70, (220, 420), (1.2, 1.6), (0.5, 0.9), 0.0,
                           ("max", 20, 25), ("min", 30, 35), (54, 60, 80), 0.0),
    "research": UseRule("科研", 40, 50, (30, 60), (1.5, 2.0), (1.0, 1.5), 0.0,
                        ("max", 30, 40), ("min", 20, 30), (45, 60, 80), 0.0),
    "education": UseRule("教育", 60, 50, (40, 80), (0.8, 1.0), (0.2, 0.5), 0.0,
                         ("max", 25, 30), ("min", 35, 40), (24, 30), 0.0),
    "green": UseRule("公园绿地", 45, None, None, None, (0, 0), 0.0,
                     None, ("min", 65, 75), (12, 15), 0.0),
    "reserve": UseRule("留白", 160, None, None, None, (0, 0), 0.0, None, None, (), 1.0),
}
STREETS = (
    StreetSpec("慈湖街道", (-0.8, 2.6), 8, 0.24, 5, (360, 680), (260, 480),
               {"100102": 35, "100101": 20, "100103": 8, "110101": 12, "110102": 5,
                "0802": 5, "0904": 3, "1401": 4, "16": 8},
               ("宁芜路", "慈湖河路", "经三路", "经五路", "经七路", "经九路"),
               ("曙光路", "纬一路", "纬三路", "纬五路", "纬七路", "纬九路")),
    StreetSpec("金家庄街道", (-4.3, 1.2), -18, 0.17, 4, (340, 640), (260, 460),
               {"110101": 24, "110102": 12, "100102": 24, "100101": 12, "0901": 3,
                "0904": 3, "1401": 6, "16": 10, "0701": 3},
               ("沿江大道", "湖西路", "港城路", "金山路", "长山路"),
               ("江岸路", "宝庆路", "金家庄路", "采矿路", "江景路", "北环路"), riverside=True),
    StreetSpec("塘西街道", (-3.6, -2.4), -10, 0.18, 4, (360, 660), (260, 480),
               {"100102": 28, "100101": 22, "110101": 14, "0901": 4, "0701": 5,
                "0804": 2, "1401": 6, "16": 8, "0904": 3},
               ("滨江路", "塘岔路", "杨家山路", "南塘路", "钢城大道"),
               ("西村路", "塘西路", "南山路", "曙光南路", "幸福路", "佳园路"), riverside=True),
    StreetSpec("江东街道", (0.4, -0.3), 0, 0.10, 4, (180, 360), (150, 300),
               {"0901": 25, "0902": 20, "0701": 20, "0904": 8, "0804": 7, "1401": 10,
                "16": 5, "100101": 5},
               ("湖北路", "湖南路", "红旗北路", "江东路", "花雨路"),
               ("江东大道", "平湖路", "健康路", "印山路", "勤俭路", "团结路")),
    StreetSpec("霍里街道", (4.0, 1.2), 14, 0.21, 5, (260, 560), (220, 420),
               {"0802": 16, "0902": 10, "100101": 28, "110101": 20, "0901": 4, "0701": 4,
                "0804": 2, "1401": 5, "16": 7},
               ("205国道", "秀山大道", "霍里山大道", "软件园路", "天门大道", "东环路"),
               ("九华东路", "银塘路", "秀山湖路", "霍里路", "太白路", "北园路"),
               park="马鞍山软件园"),
    StreetSpec("桃源路街道", (1.8, -3.3), -6, 0.10, 4, (180, 360), (150, 300),
               {"0701": 20, "0901": 20, "0902": 10, "0804": 10, "1401": 12, "0904": 8,
                "16": 8, "100101": 6, "0802": 6},
               ("桃源路", "湖东南路", "花山路", "采石河路", "红旗南路"),
               ("雨山东路", "九华中路", "花雨南路", "博望路", "朱然路", "桃园南路")),
)
# fmt: on


@dataclass(frozen=True)
class Rect:
    """Axis-aligned rectangle in a street's local frame, metres."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        """Width in metres."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Height in metres."""
        return self.y1 - self.y0

    @property
    def area_m2(self) -> float:
        """Area in m²."""
        return self.width * self.height


@dataclass
class ParcelDraft:
    """A parcel before attributes: street, land-use code, block position and geometry (metres)."""

    street: StreetSpec
    land_use: str
    geom: Polygon
    row: int
    col: int


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
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="number of parcels")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
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


def road_name(names: tuple[str, ...], index: int, kind: str) -> str:
    """Road name at a grid line, with a planned-road fallback (规划经/纬N路) past the list."""
    return names[index] if index < len(names) else f"规划{kind}{index + 1}路"


def block_roads(draft: ParcelDraft) -> dict[str, str]:
    """Names of the four roads around the draft's block, keyed by side."""
    spec = draft.street
    return {
        "south": road_name(spec.ew_roads, draft.row, "纬"),
        "north": road_name(spec.ew_roads, draft.row + 1, "纬"),
        "west": road_name(spec.ns_roads, draft.col, "经"),
        "east": road_name(spec.ns_roads, draft.col + 1, "经"),
    }


def describe_parcel(rng: np.random.Generator, draft: ParcelDraft) -> tuple[str, str]:
    """Return the base name (before A/B lettering) and the 宗地位置 text of a draft."""
    roads, spec = block_roads(draft), draft.street
    rule = RULES[LAND_USE_FAMILY[draft.land_use]]
    side = ("south", "north", "west", "east")[int(rng.integers(4))]
    facing = {"south": "北", "north": "南", "west": "东", "east": "西"}
    ew_side = ("south", "north")[int(rng.integers(2))]
    ns_side = ("west", "east")[int(rng.integers(2))]
    location = (
        f"花山区{spec.name}{roads[ew_side]}以{facing[ew_side]}、{roads[ns_side]}以{facing[ns_side]}"
    )
    if spec.park and LAND_USE_FAMILY[draft.land_use] in ("research", "business"):
        return f"{spec.park}{'一二三四五六七八'[min(draft.row, 7)]}期地块", location
    if draft.col == 0 and ("国道" in roads["west"] or "沿江" in roads["west"]):
        return f"{roads['west']}以东{rule.word}地块", location
    return f"{spec.name}{roads[side]}{facing[side]}侧{rule.word}地块", location


def letter_names(names: list[str]) -> list[str]:
    """Make repeated names distinct by lettering them A, B, C … before the final 地块."""
    totals = {name: names.count(name) for name in set(names)}
    seen: dict[str, int] = {}
    result = []
    for name in names:
        if totals[name] == 1:
            result.append(name)
            continue
        seen[name] = seen.get(name, 0) + 1
        n = seen[name]
        label = chr(ord("A") + n - 1) if n <= 26 else f"{n}号"
        result.append(f"{name[:-2]}{label}地块")
    return result


def draw_bound(
    rng: np.random.Generator, spec: tuple[str, int, int] | None
) -> tuple[float | None, float | None]:
    """Draw a one-sided (min, max) percentage limit, or return (None, None)."""
    if spec is None:
        return None, None
    kind, lo, hi = spec
    value = float(rng.integers(lo, hi + 1))
    return (value, None) if kind == "min" else (None, value)


def draw_planning(rng: np.random.Generator, rule: UseRule) -> dict[str, float | None]:
    """容积率 range, 建筑密度 %, 绿地率 % and 建筑限高 m for one parcel."""
    far_min = far_max = None
    if rule.far_min is not None:
        far_min = round(float(rng.uniform(*rule.far_min)), 1)
        if rng.random() >= rule.far_open_p:
            far_max = round(far_min + float(rng.uniform(*rule.far_span)), 1)
    density_min, density_max = draw_bound(rng, rule.density)
    green_min, green_max = draw_bound(rng, rule.green)
    height = None
    if rule.heights and rng.random() >= rule.height_open_p:
        height = float(rule.heights[int(rng.integers(len(rule.heights)))])
    return {
        "far_min": far_min,
        "far_max": far_max,
        "density_min_pct": density_min,
        "density_max_pct": density_max,
        "green_min_pct": green_min,
        "green_max_pct": green_max,
        "height_max_m": height,
    }


def draw_money(
    rng: np.random.Generator, family: str, status: str, area_mu: float
) -> dict[str, float | None]:
    """起始价 and 保证金 (万元), 投资强度 and 亩均税收 (万元/亩) for one parcel."""
    rule, price = RULES[family], None
    deposit = invest = tax = None
    if rule.price_per_mu is not None and status != "reserve":
        price = max(1.0, float(round(rng.uniform(*rule.price_per_mu) * area_mu)))
        raw = price * float((0.2, 0.3, 0.4, 0.5)[int(rng.integers(4))])
        deposit = max(1.0, float(round(raw / 10) * 10 if raw >= 100 else round(raw)))
    if family == "industrial":
        invest = float(INVEST_WAN_PER_MU[int(rng.integers(len(INVEST_WAN_PER_MU)))])
        tax = float(TAX_WAN_PER_MU[int(rng.integers(len(TAX_WAN_PER_MU)))])
    return {
        "price_start_wan": price,
        "deposit_wan": deposit,
        "invest_min_wan_per_mu": invest,
        "tax_min_wan_per_mu": tax,
    }


def draw_status(rng: np.random.Generator, family: str) -> tuple[str, str | None]:
    """Status and supply method; green and 留白 land is reserve and not offered."""
    if family in ("green", "reserve"):
        return "reserve", None
    status = STATUSES[int(rng.choice(len(STATUSES), p=STATUS_P))]
    if status == "reserve":
        return status, None
    weights = np.array(SUPPLY_MIX[family])
    return status, SUPPLY_METHODS[int(rng.choice(len(weights), p=weights / weights.sum()))]


def draw_note(rng: np.random.Generator, spec: StreetSpec, family: str) -> str | None:
    """Draw an occasional remark (备注), always one for green and 留白 land."""
    if family not in ("green", "reserve") and rng.random() >= P_NOTE:
        return None
    notes = NOTES[family]
    if spec.riverside and family in ("industrial", "logistics"):
        notes = notes + RIVER_NOTES
    return notes[int(rng.integers(len(notes)))]


def build_properties(rng: np.random.Generator, draft: ParcelDraft, street_index: int) -> dict:
    """All documented properties of one parcel; code is filled in and name lettered later."""
    family = LAND_USE_FAMILY[draft.land_use]
    status, supply = draw_status(rng, family)
    name, location = describe_parcel(rng, draft)
    props: dict = {
        "code": None,
        "name": name,
        "land_use": draft.land_use,
        "street": draft.street.name,
        "location": location,
        "status": status,
        "supply_method": supply,
        "lease_years": RULES[family].lease_years,
    }
    props.update(draw_planning(rng, RULES[family]))
    props.update(draw_money(rng, family, status, draft.geom.area / MU_M2))
    props["contact"] = f"花山区投资促进中心 0555-0000{101 + street_index}"
    props["note"] = draw_note(rng, draft.street, family)
    return props


def assign_codes(rng: np.random.Generator, statuses: list[str]) -> list[str]:
    """Assign unique 宗地编号 G(YYYY)NNN, numbered upwards within each year."""
    counters: dict[int, int] = {}
    codes = []
    for status in statuses:
        lo, hi = YEARS_BY_STATUS[status]
        year = int(rng.integers(lo, hi + 1))
        if year not in counters:
            counters[year] = int(rng.integers(0, 10))
        counters[year] += int(rng.integers(1, 4))
        codes.append(f"G({year}){counters[year]:03d}")
    return codes


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
