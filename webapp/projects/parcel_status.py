"""A project's stage proposes a status for its parcels (domain.pipeline.proposed_parcel_status);
staff confirm which to apply, each written through the parcel store's versioned, audited edit
(source `project`)."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.domain.errors import ConflictError, NotFoundError
from webapp.domain.parcel import Parcel
from webapp.domain.pipeline import Project, proposed_parcel_status
from webapp.store import ParcelStore


@dataclass(frozen=True)
class StatusProposal:
    """One parcel of a project whose status the project's stage proposes to change."""

    parcel: Parcel
    current: str
    proposed: str


@dataclass(frozen=True)
class StatusOutcome:
    """What applying the confirmed proposals did: parcels changed, and messages for those that
    were not (changed by someone else meanwhile, or gone)."""

    applied: list[Parcel]
    refused: list[str]


def project_parcels(store: ParcelStore, project: Project) -> list[Parcel]:
    """The project's parcels that exist (drafts included), in the project's order."""
    found = (store.get(code, include_drafts=True) for code in project.parcel_codes)
    return [parcel for parcel in found if parcel is not None]


def status_proposals(store: ParcelStore, project: Project) -> list[StatusProposal]:
    """The project's parcels whose status its stage proposes to change, current → proposed."""
    proposals = []
    for parcel in project_parcels(store, project):
        proposed = proposed_parcel_status(project.stage, parcel.status)
        if proposed:
            proposals.append(StatusProposal(parcel, parcel.status, proposed))
    return proposals


def parse_confirmed(form: Mapping[str, str], getlist) -> dict[int, int]:
    """The ticked parcels (`parcel` checkboxes: ids) with the version each was shown at
    (`version-<id>`); unreadable entries are left out."""
    confirmed = {}
    for value in getlist("parcel"):
        version = form.get(f"version-{value}", "")
        if value.isascii() and value.isdigit() and version.isascii() and version.isdigit():
            confirmed[int(value)] = int(version)
    return confirmed


def apply_proposals(store: ParcelStore, project: Project, confirmed: Mapping[int, int],
                    actor: str, check_versions: bool = True) -> StatusOutcome:
    """Apply the proposals of the ticked parcels at the versions shown; a parcel changed since
    (or no longer proposed) is refused with a message, never half-written."""
    proposals = {p.parcel.id: p for p in status_proposals(store, project)}
    applied, refused = [], []
    for parcel_id, version in confirmed.items():
        proposal = proposals.get(parcel_id)
        if proposal is None:
            refused.append(_("Parcel number %(id)s needs no change any more (or is not one of "
                             "this project's parcels).", id=parcel_id))
            continue
        try:
            applied.append(store.update_parcel(
                parcel_id, {"status": proposal.proposed},
                version if check_versions else None, actor, "project"))
        except (ConflictError, NotFoundError):
            refused.append(_("%(code)s changed after you opened this page: it was not "
                             "changed. Check it and confirm again.", code=proposal.parcel.code))
    return StatusOutcome(applied, refused)
