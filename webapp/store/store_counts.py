"""What a store holds, counted through the ParcelStore interface: what `landgis backup` verifies
and `landgis restore` reports (before → after)."""

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from webapp.domain.audit import ChangeFilter
from webapp.domain.pipeline import ProjectFilter

if TYPE_CHECKING:
    from webapp.store.interface import ParcelStore


@dataclass(frozen=True)
class StoreCounts:
    """Rows of each kind a store holds, and its schema version."""

    parcels: int
    audit_records: int
    accounts: int
    context_layers: int
    enquiries: int
    projects: int
    schema_version: int

    def lines(self, before: "StoreCounts | None" = None) -> list[str]:
        """One `name: n` line per count, `name: before → after` when given the earlier
        counts."""
        lines = []
        for field in fields(self):
            label = field.name.replace("_", " ")
            now = getattr(self, field.name)
            if before is None:
                lines.append(f"{label}: {now}")
            else:
                then = getattr(before, field.name)
                lines.append(f"{label}: {then} → {now}" + ("" if then != now else " (same)"))
        return lines


def count_store(store: "ParcelStore") -> StoreCounts:
    """Count what the store holds (each count its own short read)."""
    return StoreCounts(
        parcels=store.count(include_drafts=True),
        audit_records=store.changes(ChangeFilter(), limit=1).number_matched,
        accounts=len(store.staff.users()),
        context_layers=len(store.context.layers()),
        enquiries=store.pipeline.enquiries(limit=1).number_matched,
        projects=store.pipeline.projects(ProjectFilter(), limit=1).number_matched,
        schema_version=store.schema_version(),
    )
