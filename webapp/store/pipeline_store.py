"""The pipeline interface every backend implements, reached as `store.pipeline`: enquiries,
projects with their notes, problems, and their audit trail, beside the parcels (both backends).

Values arrive parsed and typed (webapp.domain's enquiry, project and problem parsers check form
input first); the store checks only what it must to stay consistent: field names (they go into
SQL), versions, and that records referred to exist. Every write and its audit rows commit in one
transaction. Nothing here is ever read by an anonymous route except `problems(...,
public_only=True)` for a parcel page.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from webapp.domain.pipeline import (
    Enquiry,
    PipelineChange,
    Problem,
    ProblemFilter,
    Project,
    ProjectFilter,
    ProjectNote,
    RecordPage,
)


class PipelineStore(ABC):
    """Enquiries, projects, notes and problems, with one audit trail (PipelineChange)."""

    # Enquiries -----------------------------------------------------------------------------

    @abstractmethod
    def add_enquiry(self, values: Mapping[str, object]) -> Enquiry:
        """Store a new enquiry: `values` holds the Enquiry fields from parcel_codes to
        consent_at (a tuple of codes, texts, numbers or None). The store assigns id, a fresh
        unguessable reference (ZS-YYYYMMDD-XXXXXX, A-Z and 2-9 without look-alikes),
        received_at, status `new`, version 1, and writes a `created` audit row (actor
        "investor", source "form", new_value the reference)."""

    @abstractmethod
    def enquiry(self, enquiry_id: int) -> Enquiry | None:
        """One enquiry by id, or None."""

    @abstractmethod
    def enquiries(self, status: str | None = None, limit: int = 50,
                  offset: int = 0) -> RecordPage[Enquiry]:
        """Enquiries (of one status, or all), newest first, and how many match."""

    @abstractmethod
    def update_enquiry(self, enquiry_id: int, changes: Mapping[str, object],
                       expected_version: int | None, actor: str) -> Enquiry:
        """Change ENQUIRY_EDITABLE fields with one audit row per changed field (source form).
        NotFoundError for an unknown id, ConflictError(current=stored enquiry) when
        expected_version is stale (None skips the check), ValueError for other field names."""

    @abstractmethod
    def erase_enquiry(self, enquiry_id: int, actor: str) -> Enquiry:
        """Erase the enquirer's personal data (ENQUIRY_PERSONAL_FIELDS set to None, and
        PROJECT_PERSONAL_FIELDS of the project made from it), set erased_at/erased_by, bump the
        versions, blank the old/new values of every audit row of those fields, and write one
        `erased` audit row (source erasure). Industry, investment, jobs, parcels and dates stay
        for the figures. Erasing twice is harmless. NotFoundError for an unknown id."""

    # Projects ------------------------------------------------------------------------------

    @abstractmethod
    def add_project(self, values: Mapping[str, object], actor: str,
                    enquiry_id: int | None = None) -> Project:
        """Create a project from PROJECT_EDITABLE values (name required; stage default lead).
        With enquiry_id, in the same transaction the enquiry becomes `converted` with this
        project_id (audited, source enquiry); ConflictError when that enquiry already has a
        project, NotFoundError when it does not exist. stage_since is today (the Beijing date,
        domain.local_time), and the milestone dates the stage implies are set
        (domain.pipeline.reached_milestones). A `created` audit row."""

    @abstractmethod
    def project(self, project_id: int) -> Project | None:
        """One project by id, or None."""

    @abstractmethod
    def projects(self, project_filter: ProjectFilter, limit: int | None = None,
                 offset: int = 0) -> RecordPage[Project]:
        """Matching projects, most recently updated first, and how many match."""

    @abstractmethod
    def update_project(self, project_id: int, changes: Mapping[str, object],
                       expected_version: int | None, actor: str) -> Project:
        """Change PROJECT_EDITABLE fields in one transaction, one audit row per changed field
        (parcel_codes audited as a comma-separated list), version + 1, updated_at now.
        A stage change sets stage_since to today (Beijing date) and the milestone dates it
        implies that are still empty (reached_milestones). Unchanged values are not written.
        NotFoundError, ConflictError(current=stored project) on a stale expected_version
        (None skips the check), ValueError for other field names."""

    @abstractmethod
    def add_note(self, project_id: int, text: str, actor: str) -> ProjectNote:
        """Append a note to a project's log; NotFoundError for an unknown project."""

    @abstractmethod
    def notes(self, project_id: int) -> list[ProjectNote]:
        """A project's notes, newest first."""

    # Problems ------------------------------------------------------------------------------

    @abstractmethod
    def add_problem(self, values: Mapping[str, object], actor: str) -> Problem:
        """Create a problem: `values` has project_id or parcel_code (exactly one; the project
        must exist, the parcel code need not be published) and PROBLEM_EDITABLE values (title
        and department required; status default open). A `created` audit row."""

    @abstractmethod
    def problem(self, problem_id: int) -> Problem | None:
        """One problem by id, or None."""

    @abstractmethod
    def problems(self, problem_filter: ProblemFilter) -> list[Problem]:
        """Matching problems: open before solved, then by due date (none last), then id."""

    @abstractmethod
    def update_problem(self, problem_id: int, changes: Mapping[str, object],
                       expected_version: int | None, actor: str) -> Problem:
        """Change PROBLEM_EDITABLE fields like update_project; solving it (status solved) sets
        solved_at, reopening clears it."""

    # Audit ---------------------------------------------------------------------------------

    @abstractmethod
    def changes(self, record: str | None = None, record_id: int | None = None,
                limit: int = 50, offset: int = 0) -> RecordPage[PipelineChange]:
        """Audit rows (of one record kind, of one record), newest first."""

    # Whole records -------------------------------------------------------------------------

    @abstractmethod
    def load_records(self, enquiries: Sequence[Enquiry], projects: Sequence[Project],
                     notes: Sequence[ProjectNote], problems: Sequence[Problem],
                     actor: str) -> None:
        """Insert whole records as given, dates and stages included (the sample district's
        pipeline, tests), in one transaction. Ids are assigned anew and the links between the
        given records (Enquiry.project_id, Project.enquiry_id, ProjectNote.project_id,
        Problem.project_id) are remapped from the given ids to the new ones; one `created`
        audit row per record (source form, changed_at its created/received time).
        ValueError unless the store holds no enquiry and no project yet."""
