"""Money on land notices is in 万元 (10,000 yuan): shown as 万元 in Chinese and as whole yuan
in English, where "10k yuan" reads wrongly (1,377.00 万元 = 13,770,000 yuan)."""

YUAN_PER_WAN = 10_000


def format_wan(value_wan: float | None, language: str, per_mu: bool = False) -> str:
    """An amount in 万元 (per 亩 when per_mu) as its language writes it: `1,377.00 万元`,
    `13,770,000 yuan`, `30.00 万元/亩`, `300,000 yuan/mu`; an em dash for None."""
    if value_wan is None:
        return "—"
    if language == "zh":
        return f"{value_wan:,.2f} 万元" + ("/亩" if per_mu else "")
    return f"{round(value_wan * YUAN_PER_WAN):,} yuan" + ("/mu" if per_mu else "")
