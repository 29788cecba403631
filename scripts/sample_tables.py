"""Data tables and records of the SYNTHETIC sample district (scripts/generate_sample.py).

Street names are real 花山区 街道; positions, roads, sizes and every attribute are invented.
"""

from dataclasses import dataclass

from shapely.geometry import Polygon

MU_M2 = 10000 / 15  # 1 亩 in m²


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
