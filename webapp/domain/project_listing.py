"""The staff pipeline list (no Flask): its query parameters parsed once, overdue next actions,
and the board's columns by stage."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from webapp.domain.errors import InvalidParameterError
from webapp.domain.messages import N_
from webapp.domain.pipeline import INDUSTRIES, STAGES, Project, ProjectFilter

VIEWS = ("table", "board")
STREET_LIMIT = 100
GetList = Callable[[str], list[str]]


@dataclass(frozen=True)
class PipelineQuery:
    """What the pipeline page shows: which projects and as a table or a board."""

    project_filter: ProjectFilter
    view: str = "table"


def _one(getlist: GetList, name: str) -> str:
    values = [value.strip() for value in getlist(name) if value.strip()]
    if len(values) > 1:
        raise InvalidParameterError(name, N_("give at most one value"))
    return values[0] if values else ""


def parse_choice(name: str, value: str, allowed: Collection[str]) -> str | None:
    """One value from an allowed list (None when empty), else InvalidParameterError naming
    the choices."""
    if value and value not in allowed:
        raise InvalidParameterError(name, N_("unknown value “%(value)s”; use one of %(allowed)s"),
                                    value=value, allowed=", ".join(allowed))
    return value or None


def _stages(getlist: GetList) -> tuple[str, ...]:
    stages = [value.strip() for raw in getlist("stage") for value in raw.split(",")
              if value.strip()]
    for stage in stages:
        parse_choice("stage", stage, STAGES)
    return tuple(dict.fromkeys(stages))


def _owner(value: str, staff_names: Collection[str]) -> str | None:
    if not value:
        return None
    for name in staff_names:
        if name.casefold() == value.casefold():
            return name
    raise InvalidParameterError("owner", N_("no staff account is named “%(value)s”"),
                                value=value)


def parse_pipeline_query(getlist: GetList, staff_names: Collection[str]) -> PipelineQuery:
    """The list's parameters: view (table or board), stage (repeatable or comma-separated),
    owner (a staff account's name), industry (a code of INDUSTRIES) and street (text);
    InvalidParameterError (400) for a bad value."""
    street = _one(getlist, "street")
    if len(street) > STREET_LIMIT:
        raise InvalidParameterError("street", N_("is longer than %(limit)s characters"),
                                    limit=STREET_LIMIT)
    project_filter = ProjectFilter(
        stages=_stages(getlist), owner=_owner(_one(getlist, "owner"), staff_names),
        industry=parse_choice("industry", _one(getlist, "industry"), INDUSTRIES),
        street=street or None)
    view = parse_choice("view", _one(getlist, "view"), VIEWS) or "table"
    return PipelineQuery(project_filter, view)


def filter_query(project_filter: ProjectFilter) -> list[tuple[str, str]]:
    """The filter as query parameters (for links to the other view and the CSV export)."""
    pairs = [("stage", stage) for stage in project_filter.stages]
    for name in ("owner", "industry", "street"):
        value = getattr(project_filter, name)
        if value:
            pairs.append((name, value))
    return pairs


def is_overdue(project: Project, today: date) -> bool:
    """Whether the project's next action was due before today (dropped projects never are)."""
    return bool(project.next_action_due) and project.stage != "dropped" \
        and str(project.next_action_due) < today.isoformat()


def board_columns(projects: list[Project],
                  stages: tuple[str, ...] = ()) -> list[tuple[str, list[Project]]]:
    """One column per stage in STAGES order (only the filtered stages, when given), each with
    its projects in the given order."""
    shown = [stage for stage in STAGES if not stages or stage in stages]
    return [(stage, [p for p in projects if p.stage == stage]) for stage in shown]
