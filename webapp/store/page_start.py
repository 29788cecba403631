"""Where a page of parcels in code order starts, so deep pages cost what the first one does.

A keyset page continues after the last code a client saw (`code > ?`: codes are unique). An
explicit offset in code order is served from the codes kept at every MILESTONE_EVERY-th
position of the filter's matches (kept per store generation in the summary cache, read in one
index scan): the page starts at the milestone before the offset (`code >= ?`) and skips fewer
than MILESTONE_EVERY rows, not the whole offset. Filters whose summaries are answered fresh
(bbox, free text, an area range: cache_keys.summary_key) skip rows with a plain OFFSET.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from webapp.domain.filters import ParcelFilter
from webapp.store.cache_keys import summary_key

MILESTONE_EVERY = 1000  # 10^6 matches keep 1,000 codes (~20 kB); a page skips < 1,000 rows
MILESTONE_FROM = MILESTONE_EVERY  # smaller offsets are skipped directly


@dataclass(frozen=True)
class PageStart:
    """The SQL start of a page in code order: a code bound and the rows still to skip."""

    clause: str | None  # "code > ?", "code >= ?" or None (from the first match)
    code: str | None
    offset: int

    def where(self, where: str, params: list, mark: str = "?") -> tuple[str, list]:
        """The filter's (sql, params) narrowed to the rows from this start on."""
        if self.clause is None:
            return where, params
        return f"({where}) AND {self.clause.replace('?', mark)}", [*params, self.code]


def plan_page_start(parcel_filter: ParcelFilter, offset: int, after_code: str | None,
                    sort: str, limit: int | None,
                    milestones: Callable[[ParcelFilter], list[str]]) -> PageStart:
    """Where the page starts: after after_code (keyset; offset then counts from there), from
    the milestone before a large offset (code order, kept filters), else a plain offset."""
    if after_code is not None:
        if sort != "code":
            raise ValueError("keyset pages (after_code) are in code order only")
        return PageStart("code > ?", after_code, offset)
    if (sort != "code" or limit is None or offset < MILESTONE_FROM
            or summary_key(parcel_filter) is None):
        return PageStart(None, None, offset)
    codes = milestones(parcel_filter)
    index = offset // MILESTONE_EVERY
    if index >= len(codes):  # past the last match: nothing to read
        return PageStart("code > ?", codes[-1] if codes else "", offset)
    return PageStart("code >= ?", codes[index], offset % MILESTONE_EVERY)


def milestones_sql(table: str, where: str) -> str:
    """SELECT of the code at every MILESTONE_EVERY-th position (0, N, 2N...) of the matches,
    in code order (one index scan; SQLite and PostgreSQL alike)."""
    return (f"SELECT code FROM (SELECT code, ROW_NUMBER() OVER (ORDER BY code) - 1 AS n "
            f"FROM {table} WHERE {where}) AS numbered "
            f"WHERE n - n / {MILESTONE_EVERY} * {MILESTONE_EVERY} = 0 "
            "ORDER BY code")


def milestone_codes(codes: Iterable[str]) -> list[str]:
    """The code at every MILESTONE_EVERY-th position of the matching codes once sorted (code
    point order, as both stores sort codes)."""
    return sorted(codes)[::MILESTONE_EVERY]
