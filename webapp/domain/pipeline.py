"""The investment-promotion pipeline (招商): enquiries from investors, projects from lead to
production, the problems that hold them back, and the audit trail of all three (no Flask).

These records are staff-only: they never reach the public map, parcel pages, API, tiles or
exports (a parcel problem staff mark `public` is the one exception, shown on its parcel page).
Dates are ISO `YYYY-MM-DD` text, instants ISO 8601 UTC text (domain.audit.utc_now_iso).
"""

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from webapp.domain.messages import N_

# A project's stages in their order; `dropped` (终止) can follow any of them, with a reason.
STAGES = ("lead", "negotiating", "signed", "started", "producing", "dropped")
ACTIVE_STAGES = STAGES[:-1]
STAGE_TITLES = {"lead": N_("Lead"), "negotiating": N_("Negotiating"), "signed": N_("Signed"),
                "started": N_("Construction started"), "producing": N_("Producing"),
                "dropped": N_("Dropped")}
# The parcel status a project's stage proposes for its parcels (applied on confirmation).
# Dropping a project proposes `available` again, for its parcels still marked negotiating.
PARCEL_STATUS_FOR_STAGE = {"negotiating": "negotiating", "signed": "sold", "started": "sold",
                           "producing": "sold"}

ENQUIRY_STATUSES = ("new", "read", "converted", "closed")
ENQUIRY_STATUS_TITLES = {"new": N_("New"), "read": N_("Read"), "converted": N_("Made a project"),
                         "closed": N_("Closed")}
PROBLEM_STATUSES = ("open", "solved")
PROBLEM_STATUS_TITLES = {"open": N_("Open"), "solved": N_("Solved")}

# The industries projects and enquiries are counted by (the report's figures by industry).
INDUSTRIES = ("intelligent_equipment", "advanced_manufacturing", "new_materials", "electronics",
              "software", "new_energy", "biomedicine", "logistics", "commerce",
              "culture_tourism", "other")
INDUSTRY_TITLES = {"intelligent_equipment": N_("Intelligent equipment"),
                   "advanced_manufacturing": N_("Advanced manufacturing"),
                   "new_materials": N_("New materials"), "electronics": N_("Electronics"),
                   "software": N_("Software and IT services"), "new_energy": N_("New energy"),
                   "biomedicine": N_("Biomedicine"), "logistics": N_("Logistics"),
                   "commerce": N_("Commerce and services"),
                   "culture_tourism": N_("Culture and tourism"), "other": N_("Other")}

# Fields each record's update may change (the names go into SQL: only these are accepted).
ENQUIRY_EDITABLE = ("status",)
# What an erasure clears: the enquirer's personal data (anonymous figures stay).
ENQUIRY_PERSONAL_FIELDS = ("company", "contact_name", "phone", "email", "message")
PROJECT_EDITABLE = ("name", "company", "contact", "industry", "investment_wan", "jobs",
                    "stage", "drop_reason", "street", "parcel_codes", "owner", "next_action",
                    "next_action_due")
PROJECT_PERSONAL_FIELDS = ("contact",)  # cleared with the enquiry the project came from
PROBLEM_EDITABLE = ("title", "department", "due_date", "status", "notes", "public")

T = TypeVar("T")

RECORD_KINDS = ("enquiry", "project", "problem")
# How a pipeline change was made: a staff form, an enquiry made into a project, an erasure.
PIPELINE_SOURCES = ("form", "enquiry", "erasure")


@dataclass(frozen=True)
class Enquiry:
    """An investor's enquiry about one or more parcels (or a site-selection shortlist)."""

    id: int
    reference: str  # given to the investor, e.g. ZS-20261207-K7Q3MX (not guessable, not secret)
    received_at: str
    parcel_codes: tuple[str, ...]  # the parcels asked about; () for a general enquiry
    company: str | None
    contact_name: str | None
    phone: str | None  # normalised: 13812345678, 0555-2345678 or 0555-2345678-123
    email: str | None
    industry: str | None  # one of INDUSTRIES
    investment_wan: float | None  # planned investment, 万元
    jobs: int | None
    message: str | None
    language: str  # the form's language, zh or en
    requirement: str | None  # the site-selection query string the shortlist came from
    consent_at: str  # when the privacy notice was agreed to (the form refuses otherwise)
    status: str = "new"
    project_id: int | None = None
    erased_at: str | None = None
    erased_by: str | None = None
    version: int = 1


@dataclass(frozen=True)
class Project:
    """A project (项目) followed from lead to production, with its parcels and next action."""

    id: int
    name: str
    company: str | None
    contact: str | None  # contact person and phone, free text (personal data)
    industry: str | None
    investment_wan: float | None  # 万元
    jobs: int | None
    stage: str
    stage_since: str  # date the current stage was entered
    signed_on: str | None  # date it first reached `signed` (kept when it moves on)
    started_on: str | None  # date it first reached `started`
    drop_reason: str | None  # required when stage is dropped
    street: str | None
    parcel_codes: tuple[str, ...]
    owner: str | None  # the responsible staff member's account name
    next_action: str | None
    next_action_due: str | None  # date
    enquiry_id: int | None
    created_at: str
    updated_at: str
    version: int = 1


@dataclass(frozen=True)
class ProjectNote:
    """One entry of a project's notes log (notes are added, never edited)."""

    id: int
    project_id: int
    written_at: str
    author: str
    text: str


@dataclass(frozen=True)
class Problem:
    """A problem holding a project or a parcel back (问题清单), with its lead department."""

    id: int
    project_id: int | None  # exactly one of project_id and parcel_code is set
    parcel_code: str | None
    title: str
    department: str  # 牵头单位
    due_date: str | None
    status: str
    notes: str | None
    public: bool  # shown on the parcel page (parcel problems only)
    created_at: str
    updated_at: str
    solved_at: str | None
    version: int = 1


@dataclass(frozen=True)
class PipelineChange:
    """One field of one pipeline record changed: who, when, old → new, how, and the record's
    version after it. `field` is `created` when the record was made (new_value its name or
    reference) and `erased` for an erasure (values None: erased data is not kept here)."""

    id: int
    changed_at: str
    actor: str
    record: str  # one of RECORD_KINDS
    record_id: int
    field: str
    old_value: object
    new_value: object
    source: str  # one of PIPELINE_SOURCES
    version: int


@dataclass(frozen=True)
class ProjectFilter:
    """Which projects to list; empty tuples and None mean "any"."""

    stages: tuple[str, ...] = ()
    owner: str | None = None
    industry: str | None = None
    street: str | None = None
    parcel_code: str | None = None  # projects linked to this parcel


@dataclass(frozen=True)
class ProblemFilter:
    """Which problems to list; None means "any"."""

    project_id: int | None = None
    parcel_code: str | None = None
    status: str | None = None
    department: str | None = None
    public_only: bool = False


@dataclass(frozen=True)
class RecordPage(Generic[T]):
    """One page of records and how many match in all."""

    records: list[T] = field(default_factory=list)
    number_matched: int = 0


def proposed_parcel_status(stage: str, current_status: str) -> str | None:
    """The status a project at `stage` proposes for one of its parcels now `current_status`,
    or None when nothing should change (a sold parcel is never proposed back to negotiating)."""
    if stage == "dropped":
        return "available" if current_status == "negotiating" else None
    wanted = PARCEL_STATUS_FOR_STAGE.get(stage)
    if wanted == "negotiating" and current_status == "sold":
        return None
    return wanted if wanted and wanted != current_status else None


# The milestone dates a project keeps, by the stage that sets them.
MILESTONES = (("signed", "signed_on"), ("started", "started_on"))


def reached_milestones(stage: str, today: str, signed_on: str | None = None,
                       started_on: str | None = None) -> dict[str, str]:
    """The milestone dates a project entering `stage` today gets: a stage at or past a
    milestone sets the milestone's date when it has none (a project entered as started has
    been signed too), so the figures never miss a signing."""
    if stage not in ACTIVE_STAGES:
        return {}
    kept = {"signed_on": signed_on, "started_on": started_on}
    return {column: today for milestone, column in MILESTONES
            if STAGES.index(stage) >= STAGES.index(milestone) and kept[column] is None}
