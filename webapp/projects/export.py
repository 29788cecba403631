"""The staff CSV of projects: headers in the UI language, names rather than codes, Beijing
times, UTF-8 with a BOM (Excel shows the Chinese), formula-like text neutralised."""

import csv
import io
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _

from webapp.domain.local_time import district_time_text
from webapp.domain.pipeline import Project
from webapp.domain.project_listing import is_overdue
from webapp.domain.spreadsheet import neutralise_cell
from webapp.projects.texts import field_labels, industry_names, stage_names

COLUMNS = ("name", "company", "contact", "industry", "investment_wan", "jobs", "stage",
           "stage_since", "signed_on", "started_on", "drop_reason", "street", "parcel_codes",
           "owner", "next_action", "next_action_due", "overdue", "created_at", "updated_at")


def csv_headers() -> list[str]:
    """The column titles in the current language."""
    labels = {**field_labels(), "id": _("Number"), "overdue": _("Overdue")}
    return [labels["id"], *(labels[name] for name in COLUMNS)]


def csv_row(project: Project, today: date) -> list[object]:
    """One project as the CSV's cells (names for codes, Beijing times, yes/no)."""
    cells: list[object] = [project.id]
    for name in COLUMNS:
        if name == "overdue":
            cells.append(_("yes") if is_overdue(project, today) else "")
        elif name == "stage":
            cells.append(stage_names().get(project.stage, project.stage))
        elif name == "industry":
            cells.append(industry_names().get(project.industry or "", project.industry or ""))
        elif name == "parcel_codes":
            cells.append(" ".join(project.parcel_codes))
        elif name in ("created_at", "updated_at"):
            cells.append(district_time_text(getattr(project, name)))
        else:
            value = getattr(project, name)
            cells.append("" if value is None else value)
    return cells


def projects_csv(projects: Iterable[Project], today: date) -> bytes:
    """The projects as one CSV document (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_headers())
    for project in projects:
        writer.writerow([neutralise_cell(cell) for cell in csv_row(project, today)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
