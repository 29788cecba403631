"""Translated names on the pipeline's staff pages: project fields, stages, industries, enquiry
statuses, how a change was made, and record values as staff read them."""

from flask_babel import gettext

from webapp.domain.local_time import district_time_text
from webapp.domain.pipeline import (
    ENQUIRY_STATUS_TITLES,
    INDUSTRY_TITLES,
    PIPELINE_SOURCES,
    STAGE_TITLES,
)


def field_labels() -> dict[str, str]:
    """Display name of each project (and enquiry) field the pages and the history show."""
    return {"name": gettext("Project name"), "company": gettext("Company"),
             "contact": gettext("Contact"), "industry": gettext("Industry"),
             "investment_wan": gettext("Investment (10,000 yuan)"), "jobs": gettext("Jobs"),
             "stage": gettext("Stage"), "drop_reason": gettext("Reason for dropping"),
             "street": gettext("Street"), "parcel_codes": gettext("Parcels"),
             "owner": gettext("Responsible staff"), "next_action": gettext("Next action"),
             "next_action_due": gettext("Next action due"),
             "stage_since": gettext("In this stage since"), "signed_on": gettext("Signed on"),
             "started_on": gettext("Construction started on"),
             "created_at": gettext("Created"), "updated_at": gettext("Updated"),
             "created": gettext("Created"), "erased": gettext("Personal data erased"),
             "status": gettext("Status"), "project_id": gettext("Project")}


def stage_names() -> dict[str, str]:
    """Display name of each stage, in STAGES order."""
    return {stage: gettext(title) for stage, title in STAGE_TITLES.items()}


def industry_names() -> dict[str, str]:
    """Display name of each industry, in INDUSTRIES order."""
    return {code: gettext(title) for code, title in INDUSTRY_TITLES.items()}


def enquiry_status_names() -> dict[str, str]:
    """Display name of each enquiry status."""
    return {status: gettext(title) for status, title in ENQUIRY_STATUS_TITLES.items()}


def pipeline_source_names() -> dict[str, str]:
    """Display name of each way a pipeline change is made."""
    names = {"form": gettext("Staff form"), "enquiry": gettext("From an enquiry"),
             "erasure": gettext("Erasure")}
    return {source: names[source] for source in PIPELINE_SOURCES}


def display_value(field: str, value: object) -> str:
    """A stored project value as staff read it: names for codes, lists joined, plain numbers."""
    if value is None or value == "" or value == ():
        return "—"
    if field == "stage":
        return stage_names().get(str(value), str(value))
    if field == "industry":
        return industry_names().get(str(value), str(value))
    if field == "status":
        return enquiry_status_names().get(str(value), str(value))
    if field in ("created_at", "updated_at"):
        return district_time_text(str(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def projects_context() -> dict:
    """Names every pipeline template uses."""
    return {"project_labels": field_labels(), "stage_names": stage_names(),
            "industry_names": industry_names(), "enquiry_status_names": enquiry_status_names(),
            "pipeline_sources": pipeline_source_names(), "show_value": display_value,
            "local_time": district_time_text}
