"""What the preview shows beyond the report: the import's effect on the store, the repaired
parcels with their areas, and the map of the incoming parcels."""

from dataclasses import dataclass, field

from flask_babel import gettext

from webapp.importing.pipeline import ImportOptions, ImportPlan
from webapp.importing.reasons import translate_message
from webapp.importing.report import REPAIRED, ImportReport
from webapp.imports.repairs import RepairedParcel, repaired_parcels
from webapp.imports.summary import SummaryLine, summary_lines
from webapp.maps.import_map import ImportMap, build_import_map
from webapp.public.map_page import basemap_from_config
from webapp.public.texts import map_control_texts
from webapp.services import get_store
from webapp.store.import_effect import ImportEffect


@dataclass
class PreviewFacts:
    """The effect counts, the repaired parcels and the map (None when nothing is importable)."""

    effect: ImportEffect | None = None
    repairs: list[RepairedParcel] = field(default_factory=list)
    map: ImportMap | None = None


def map_texts() -> dict:
    """The texts the preview map's script shows, in the user's language."""
    return {"m2": gettext("m²"), "mu": gettext("mu"),
            "repaired": gettext("repaired: check its area"), "controls": map_control_texts()}


def describe_plan(plan: ImportPlan, options: ImportOptions) -> PreviewFacts:
    """Count what the planned import would do to the store (nothing written), list its
    repaired parcels and draw its parcels."""
    if plan.parcels.empty:
        return PreviewFacts()
    effect = get_store().import_effect(plan.parcels, options.publish_existing)
    repairs = repaired_parcels(plan.report, plan.parcels)
    repaired = {r.code for r in plan.report.rows if r.outcome == REPAIRED and r.code}
    drawn = build_import_map(plan.parcels, repaired, basemap_from_config(), map_texts())
    return PreviewFacts(effect, repairs, drawn)


def row_reason(message: str) -> str:
    """A report row's message in the user's language."""
    return translate_message(message, gettext) if message else ""


def report_summary(report: ImportReport) -> list[SummaryLine]:
    """The report's summary lines in the user's language."""
    from webapp.admin.texts import field_labels  # admin imports the views that import this

    return summary_lines(report, gettext, field_labels())


def report_csv_text(report: ImportReport) -> str:
    """The report as CSV in the user's language."""
    return report.to_csv(gettext)
