"""The CSV export's columns for people: headers in Chinese or English, and the names of status,
supply method and land use beside their codes (the codes keep their own columns).

Each header is a name the importer maps back to its field (webapp.importing.fields reads this
table), so a downloaded CSV edited and uploaded again lands in the same fields; the name
columns map to nothing (they are derived from the codes).
"""

from webapp.domain.parcel_schema import ATTRIBUTE_TYPES

# column → (Chinese header, English header), in file order.
HEADERS: dict[str, tuple[str, str]] = {
    "id": ("序号", "ID"),
    "code": ("宗地编号", "Parcel code"),
    "name": ("地块名称", "Name"),
    "land_use": ("地类编码", "Land-use code"),
    "land_use_name": ("地类名称（导出）", "Land-use name"),
    "street": ("街道", "Street"),
    "location": ("宗地位置", "Location"),
    "status": ("状态代码", "Status code"),
    "status_name": ("状态名称", "Status name"),
    "supply_method": ("供地方式代码", "Supply method code"),
    "supply_method_name": ("供地方式名称", "Supply method name"),
    "lease_years": ("出让年限（年）", "Lease term (years)"),
    "far_min": ("容积率下限", "Floor-area ratio min"),
    "far_max": ("容积率上限", "Floor-area ratio max"),
    "density_min_pct": ("建筑密度下限（%）", "Building coverage min (%)"),
    "density_max_pct": ("建筑密度上限（%）", "Building coverage max (%)"),
    "green_min_pct": ("绿地率下限（%）", "Green ratio min (%)"),
    "green_max_pct": ("绿地率上限（%）", "Green ratio max (%)"),
    "height_max_m": ("建筑限高（米）", "Height limit (m)"),
    "price_start_wan": ("起始价（万元）", "Starting price (10,000 yuan)"),
    "deposit_wan": ("竞买保证金（万元）", "Deposit (10,000 yuan)"),
    "invest_min_wan_per_mu": ("投资强度（万元/亩）", "Investment intensity (10,000 yuan/mu)"),
    "tax_min_wan_per_mu": ("亩均税收（万元/亩）", "Tax per mu (10,000 yuan/mu)"),
    "contact": ("联系方式", "Contact"),
    "note": ("备注", "Note"),
    "area_m2": ("面积（平方米）", "Area (m²)"),
    "area_mu": ("面积（亩）", "Area (mu)"),
    "area_ha": ("面积（公顷）", "Area (ha)"),
    "updated_at": ("更新时间", "Updated at"),
}
# Name columns and the code column each one names.
NAME_COLUMNS = {"land_use_name": "land_use", "status_name": "status",
                "supply_method_name": "supply_method"}
# Codes → (Chinese, English) names, as the pages show them.
VALUE_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "status": {"available": ("可供", "Available"), "negotiating": ("洽谈中", "Under negotiation"),
               "sold": ("已出让", "Sold"), "reserve": ("储备", "Reserve")},
    "supply_method": {"listing": ("挂牌", "Listing"), "auction": ("拍卖", "Auction"),
                      "tender": ("招标", "Tender"), "agreement": ("协议", "Agreement")},
}


def header(column: str, language: str) -> str:
    """The column's header in 'en' or (anything else) Chinese."""
    zh, en = HEADERS[column]
    return en if language == "en" else zh


def value_name(column: str, code: str | None, language: str) -> str:
    """The display name of a status or supply-method code ('' when empty, the code if unknown)."""
    if not code:
        return ""
    names = VALUE_NAMES[column].get(code)
    return (names[1] if language == "en" else names[0]) if names else code


def import_target(column: str) -> str:
    """The parcel field the importer maps this column's headers to ("ignore" if none)."""
    if column == "area_m2":
        return "declared_area"  # the importer computes areas and compares the declared one
    return column if column in ATTRIBUTE_TYPES else "ignore"
