"""The figures the centre's report needs from the project pipeline (no Flask): projects
signed and started in a year (major and large ones too), under negotiation now, by month and by
industry. Investments are in 万元; dates are the projects' YYYY-MM-DD signed_on / started_on."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from webapp.domain.pipeline import INDUSTRIES, Project

# A started project counts as large above this planned investment (the report's "2,000 万元").
STARTED_LARGE_WAN = 2000.0


@dataclass(frozen=True)
class MonthFigures:
    """Projects signed and started in one month of the year (1-12)."""

    month: int
    signed: int = 0
    started: int = 0


@dataclass(frozen=True)
class IndustryFigures:
    """One industry's projects: signed and started this year, negotiating now, and the planned
    investment of this year's signed ones (万元). industry None: not given."""

    industry: str | None
    signed: int = 0
    started: int = 0
    negotiating: int = 0
    signed_investment_wan: float = 0.0


@dataclass(frozen=True)
class PipelineFigures:
    """The year's figures. A project counts as signed (started) in the year its signed_on
    (started_on) date falls in, up to today, unless it was dropped since; `negotiating` counts
    the projects in that stage now."""

    year: int
    today: str
    major_wan: float
    signed: int = 0
    signed_major: int = 0
    signed_investment_wan: float = 0.0
    started: int = 0
    started_large: int = 0
    negotiating: int = 0
    by_month: list[MonthFigures] = field(default_factory=list)
    by_industry: list[IndustryFigures] = field(default_factory=list)


def _in_year(day: str | None, year: int, today: date) -> bool:
    return bool(day) and str(day)[:4] == str(year) and str(day)[:10] <= today.isoformat()


def _month(day: str | None) -> int:
    return int(str(day)[5:7])


def _industry_order(industry: str | None) -> tuple[int, str]:
    return (INDUSTRIES.index(industry) if industry in INDUSTRIES else len(INDUSTRIES),
            industry or "")


def pipeline_figures(projects: Iterable[Project], year: int, major_wan: float,
                     today: date) -> PipelineFigures:
    """Count the year's signed and started projects (major: investment ≥ major_wan; large:
    investment > STARTED_LARGE_WAN), those negotiating now, by month and by industry."""
    signed = started = negotiating = signed_major = started_large = 0
    invested = 0.0
    months = {m: [0, 0] for m in range(1, 13)}
    industries: dict[str | None, list[float]] = {}
    for project in projects:
        row = industries.setdefault(project.industry, [0, 0, 0, 0.0])
        investment = project.investment_wan or 0.0
        if project.stage == "negotiating":
            negotiating += 1
            row[2] += 1
        if project.stage == "dropped":
            continue
        if _in_year(project.signed_on, year, today):
            signed += 1
            signed_major += investment >= major_wan
            invested += investment
            months[_month(project.signed_on)][0] += 1
            row[0] += 1
            row[3] += investment
        if _in_year(project.started_on, year, today):
            started += 1
            started_large += investment > STARTED_LARGE_WAN
            months[_month(project.started_on)][1] += 1
            row[1] += 1
    return PipelineFigures(
        year=year, today=today.isoformat(), major_wan=major_wan, signed=signed,
        signed_major=signed_major, signed_investment_wan=round(invested, 2), started=started,
        started_large=started_large, negotiating=negotiating,
        by_month=[MonthFigures(m, s, t) for m, (s, t) in months.items()],
        by_industry=[IndustryFigures(name, int(s), int(t), int(n), round(i, 2))
                     for name, (s, t, n, i) in sorted(industries.items(),
                                                      key=lambda item: _industry_order(item[0]))
                     if s or t or n])
