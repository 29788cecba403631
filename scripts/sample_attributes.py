"""Attributes of the SYNTHETIC sample parcels: names, planning conditions, prices, codes.

Used by scripts/generate_sample.py; everything drawn here is invented.
"""

import numpy as np
from sample_tables import (
    INVEST_WAN_PER_MU,
    LAND_USE_FAMILY,
    MU_M2,
    NOTES,
    P_NOTE,
    RIVER_NOTES,
    RULES,
    STATUS_P,
    STATUSES,
    SUPPLY_METHODS,
    SUPPLY_MIX,
    TAX_WAN_PER_MU,
    YEARS_BY_STATUS,
    ParcelDraft,
    StreetSpec,
    UseRule,
)


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
