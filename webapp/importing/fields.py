"""Map a file's field names (Chinese, English, Shapefile abbreviations) to the parcel schema."""

import re

from webapp.domain.errors import DataFileError
from webapp.domain.export_columns import HEADERS as EXPORT_HEADERS
from webapp.domain.export_columns import import_target
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.importing.traditional import fold_traditional

# Target field → the source names it is recognised by (compared without case, spaces, _ or -,
# traditional characters folded to simplified: 用地性質 and 綠地率 match too).
# Range targets (far, density, green) take one text field such as "1.0-2.0" or "≥1.2".
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("宗地编号", "宗地代码", "地块编号", "地块代码", "编号", "宗地号", "zdbh", "zddm",
             "dkbh", "dkdm", "zdbm", "dkbm", "parcelcode", "parcel_code", "code"),
    "name": ("地块名称", "宗地名称", "名称", "项目名称", "dkmc", "zdmc", "xmmc", "mc", "name"),
    "land_use": ("土地用途", "用地性质", "地类名称", "规划用途", "用途", "地类", "地类编码",
                 "用地分类", "用地类型", "规划地类", "tdyt", "ydxz", "ghyt", "ydlx", "ydfl", "dlmc",
                 "dlbm", "landuse", "land_use"),
    "street": ("街道", "所属街道", "乡镇街道", "街道乡镇", "街道/乡镇", "乡镇", "所在街道",
               "所属乡镇", "jd", "jdmc", "ssjd", "xzjd", "xzmc", "street"),
    "location": ("宗地位置", "位置", "坐落", "地块位置", "宗地坐落", "zdwz", "dkwz", "zdzl", "zl",
                 "location", "address"),
    "status": ("状态", "供应状态", "出让状态", "地块状态", "zt", "gyzt", "crzt", "dkzt",
               "status"),
    "supply_method": ("供地方式", "出让方式", "供应方式", "gdfs", "crfs", "gyfs",
                      "supplymethod"),
    "lease_years": ("出让年限", "使用年限", "年限", "crnx", "synx", "nx", "leaseyears",
                    "lease_years"),
    "far": ("容积率", "rjl", "far"),
    "density": ("建筑密度", "jzmd", "density"),
    "green": ("绿地率", "绿化率", "ldl", "lhl", "greenratio"),
    "height_max_m": ("建筑限高", "限高", "建筑高度", "jzxg", "jzgd", "xg", "heightlimit",
                     "height_max_m"),
    "price_start_wan": ("起始价", "起始价万元", "挂牌起始价", "起拍价", "qsj", "qpj", "gpqsj",
                        "startingprice",
                        "price_start_wan"),
    "deposit_wan": ("竞买保证金", "保证金", "bzj", "jmbzj", "deposit", "deposit_wan"),
    "invest_min_wan_per_mu": ("投资强度", "固定资产投资强度", "tzqd", "gdzctzqd",
                              "investmentintensity",
                              "invest_min_wan_per_mu"),
    "tax_min_wan_per_mu": ("亩均税收", "mjss", "taxpermu", "tax_min_wan_per_mu"),
    "contact": ("联系方式", "联系人", "联系电话", "lxfs", "lxr", "lxdh", "contact"),
    "note": ("备注", "说明", "bz", "sm", "note", "remark"),
    "declared_area": ("面积", "出让面积", "宗地面积", "用地面积", "地块面积", "mj", "crmj", "zdmj",
                      "ydmj", "dkmj", "area", "declared_area",
                      "area_m2"),
    # Columns landgis itself exports that are computed or bookkeeping: not parcel attributes.
    "ignore": ("area_mu", "area_ha", "land_use_name", "id", "fid", "version", "updated_at",
               "published"),
}
RANGE_TARGETS = {"far": ("far_min", "far_max"), "density": ("density_min_pct", "density_max_pct"),
                 "green": ("green_min_pct", "green_max_pct")}
TARGETS = set(SYNONYMS) | set(ATTRIBUTE_TYPES)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-()（）/]", "", fold_traditional(name)).lower()


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Source column → target field for every column recognised; the first match wins."""
    lookup = {_key(s): target for target, names in SYNONYMS.items() for s in names}
    lookup.update({_key(t): t for t in ATTRIBUTE_TYPES})
    for column, headers in EXPORT_HEADERS.items():  # landgis's own CSV export, read back
        for header in headers:
            lookup.setdefault(_key(header), import_target(column))
    mapping: dict[str, str] = {}
    for column in columns:
        target = lookup.get(_key(column))
        if target and (target == "ignore" or target not in mapping.values()):
            mapping[column] = target
    return mapping


def resolve_mapping(columns: list[str], overrides: dict[str, str] | None) -> dict[str, str]:
    """Guesses with the overrides applied; an override naming a missing column is an error."""
    overrides = overrides or {}
    missing = sorted(set(overrides) - set(columns))
    if missing:
        raise DataFileError(f"the field mapping names fields the file does not have: "
                            f"{', '.join(missing)}; the file has: {', '.join(columns)}")
    mapping = {c: t for c, t in guess_mapping(columns).items()
               if c not in overrides and (t == "ignore" or t not in overrides.values())}
    mapping.update(overrides)
    return mapping
