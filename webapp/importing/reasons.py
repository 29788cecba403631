"""Why rows were refused or noted: each row message read back as a translatable template with
its values, and a report's problems grouped by reason and value with row counts.

The import rules write their row messages in English (one text per row, cheap for a million
rows); this module knows every one of them, so pages and reports can show them in the user's
language (`translate_message(message, gettext)`) and count them by reason.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from webapp.domain.messages import N_

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Reason:
    """One kind of row message: a label for its group, the message template (both msgids;
    %(name)s placeholders), the pattern that reads it back, and the placeholder whose value
    splits the group (None: one group for the reason)."""

    key: str
    label: str
    template: str
    pattern: re.Pattern
    grouped_by: str | None = None


def _reason(key: str, label: str, template: str, grouped_by: str | None = None) -> Reason:
    """A reason whose pattern is its template with each %(name)s read as any text."""
    parts = re.split(r"%\((\w+)\)s", template)
    regex = "".join(re.escape(p.replace("%%", "%")) if i % 2 == 0 else f"(?P<{p}>.*?)"
                    for i, p in enumerate(parts))
    return Reason(key, label, template, re.compile(f"^{regex}$", re.DOTALL), grouped_by)


REASONS = (
    _reason("unknown_land_use", N_("unknown land use"),
            N_("%(field)s: unknown land use “%(value)s”"), "value"),
    _reason("unknown_status", N_("unknown status"),
            N_("%(field)s: unknown status “%(value)s”; use one of %(choices)s"), "value"),
    _reason("unknown_supply_method", N_("unknown supply method"),
            N_("%(field)s: unknown supply method “%(value)s”; use one of %(choices)s"), "value"),
    _reason("not_a_range", N_("not a number or a range"),
            N_("%(field)s: “%(value)s” is not a number or a range"), "field"),
    _reason("not_a_number", N_("not a number"), N_("%(field)s: “%(value)s” is not a number"),
            "field"),
    _reason("missing_code", N_("missing parcel code"), N_("missing parcel code")),
    _reason("missing_land_use", N_("missing land use"), N_("missing land use")),
    _reason("range_order", N_("minimum larger than maximum"),
            N_("%(low)s %(low_value)s is larger than %(high)s %(high_value)s"), "low"),
    _reason("duplicate_code", N_("duplicate code"),
            N_("duplicate code “%(value)s” (first in row %(row)s)")),
    _reason("empty_geometry", N_("empty geometry"), N_("empty geometry")),
    _reason("not_polygon", N_("not a polygon"), N_("geometry is a %(value)s, not a polygon"),
            "value"),
    _reason("unrepairable", N_("invalid geometry without area"),
            N_("invalid geometry (%(detail)s) has no area after repair")),
    _reason("sliver", N_("sliver"), N_("sliver: area %(area)s m² is below %(limit)s m²")),
    _reason("repaired", N_("repaired invalid geometry"),
            N_("repaired invalid geometry: %(detail)s")),
    _reason("declared_area", N_("declared area differs"),
            N_("declared area %(value)s differs from the computed %(area)s m² by more than "
               "1%%")),
    _reason("duplicate_geometry", N_("duplicate geometry"),
            N_("duplicate geometry: same shape as “%(value)s” (row %(row)s)")),
)
OTHER = Reason("other", N_("other problem"), "%(message)s", re.compile("^(?P<message>.*)$"))
OUTCOME_NAMES = {"accepted": N_("accepted"), "repaired": N_("repaired"),
                 "rejected": N_("rejected")}
GROUP_LINE = N_("%(problem)s: %(count)s rows")
GROUP_LINE_ONE = N_("%(problem)s: 1 row")


def _read_part(text: str) -> tuple[Reason, dict[str, str]]:
    for reason in REASONS:
        found = reason.pattern.match(text)
        if found:
            return reason, found.groupdict()
    return OTHER, {"message": text}


@lru_cache(maxsize=4096)  # a file's problems repeat (one unknown value on 400 rows)
def read_message(message: str) -> tuple[tuple[Reason, dict[str, str]], ...]:
    """The reasons a row message states, with their values (notes joined by '; ' are read
    one by one); () for an empty message."""
    if not message:
        return ()
    parts = tuple(_read_part(part) for part in message.split("; "))
    if len(parts) > 1 and all(reason is not OTHER for reason, _values in parts):
        return parts
    whole = _read_part(message)
    return (whole,) if whole[0] is not OTHER else parts


# GEOS's validity reasons (shapely.is_valid_reason, "Self-intersection[x y]"): the `detail`
# of the geometry messages, translated with its location kept.
GEOS_DETAILS = (N_("Self-intersection"), N_("Ring Self-intersection"), N_("Too few points"),
                N_("Hole lies outside shell"), N_("Nested holes"),
                N_("Interior is disconnected"), N_("Nested shells"), N_("Duplicate Rings"),
                N_("Invalid Coordinate"), N_("Ring is not closed"))
GEOS_DETAIL = re.compile(r"^(?P<name>[^\[]+)(?P<where>\[.*\])?$", re.DOTALL)


def translate_detail(detail: str, gettext: Translate) -> str:
    """A GEOS validity reason in the language of `gettext` (other text as it is)."""
    found = GEOS_DETAIL.match(detail)
    if not found or found["name"] not in GEOS_DETAILS:
        return detail
    return gettext(found["name"]) + (found["where"] or "")


def translate_message(message: str, gettext: Translate) -> str:
    """A row message in the language of `gettext` (values kept as they are, but for GEOS's
    validity reasons)."""
    parts = [gettext(reason.template) % _translated_values(values, gettext)
             if reason is not OTHER else values["message"]
             for reason, values in read_message(message)]
    return "; ".join(parts)


def _translated_values(values: dict[str, str], gettext: Translate) -> dict[str, str]:
    if "detail" not in values:
        return values
    return {**values, "detail": translate_detail(values["detail"], gettext)}


@dataclass(frozen=True)
class ProblemGroup:
    """Rows with one outcome and one reason (and value, for reasons grouped by value)."""

    outcome: str
    reason: Reason
    value: str | None
    count: int

    def problem(self, gettext: Translate = str) -> str:
        """The reason (and value) in the language of `gettext`, e.g. 'unknown land use 住宅區'."""
        label = gettext(self.reason.label)
        return f"{label} {self.value}" if self.value is not None else label

    def text(self, gettext: Translate = str) -> str:
        """'unknown land use 住宅區: 412 rows' in the language of `gettext`."""
        line = GROUP_LINE_ONE if self.count == 1 else GROUP_LINE
        return gettext(line) % {"problem": self.problem(gettext), "count": self.count}


def group_problems(rows: Iterable) -> list[ProblemGroup]:
    """Problems of report rows (RowOutcome) grouped by outcome, reason and value, most rows
    first; accepted rows without a message are left out."""
    counts: Counter = Counter()
    for row in rows:
        for reason, values in read_message(row.message):
            value = values.get(reason.grouped_by) if reason.grouped_by else None
            counts[(row.outcome, reason, value)] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][1].key,
                                                       str(item[0][2]), item[0][0]))
    return [ProblemGroup(outcome, reason, value, count)
            for (outcome, reason, value), count in ordered]
