"""The words of a site selection in the visitor's language: its reasons, and what to change when
the requirement is too broad or nothing meets it (the /select page and /api/select share them)."""

from flask_babel import gettext as _

from webapp.selection.reasons import Reason, format_amount, format_distance
from webapp.selection.requirement import Requirement
from webapp.selection.shortlist import Selection


def reason_text(reason: Reason) -> str:
    """A reason's message translated and filled in with its values."""
    return _(reason.message, **reason.params) if reason.params else _(reason.message)


def _constraint_hint(key: str, count: int, requirement: Requirement,
                     titles: dict[str, str]) -> str:
    op, _sep, layer = key.partition(":")
    limit = next((c.metres for c in requirement.constraints
                  if c.op == op and c.layer == layer), 0.0)
    values = {"n": count, "limit": format_distance(limit), "layer": titles.get(layer, layer)}
    if op == "near":
        return _("%(n)s are farther than %(limit)s from %(layer)s", **values)
    return _("%(n)s are closer than %(limit)s to %(layer)s", **values)


def rejection_texts(selection: Selection, titles: dict[str, str]) -> list[str]:
    """What excluded the candidates, most first: '12 are over the budget', ..."""
    texts = []
    for key, count in sorted(selection.rejected.items(), key=lambda item: -item[1]):
        if key == "price":
            texts.append(_("%(n)s are over the budget", n=count))
        elif key == "floor_area_ratio":
            texts.append(_("%(n)s allow no floor-area ratio in the range", n=count))
        elif key == "lease":
            texts.append(_("%(n)s have a shorter lease term", n=count))
        elif key == "area":
            texts.append(_("%(n)s are outside the area range", n=count))
        else:
            texts.append(_constraint_hint(key, count, selection.requirement, titles))
    return texts


def advice(selection: Selection, titles: dict[str, str]) -> str | None:
    """What to change when the selection is too broad or finds nothing, else None."""
    if selection.too_broad:
        cap = format_amount(selection.candidates)
        return _("More than %(n)s parcels have this land use, area, street and status: choose "
                 "a land use or a street, or narrow the area range, to get a ranked shortlist.",
                 n=cap)
    if selection.results or selection.groups:
        return None
    if selection.candidates == 0:
        return _("No parcel has this land use, area, street and status. Widen the area range, "
                 "choose more land uses or streets, or include other statuses.")
    return _("%(n)s parcels have this land use, area, street and status, but none meets every "
             "requirement: %(why)s. Raise the budget, widen a range or make a distance "
             "preferred instead of required.", n=selection.candidates,
             why="; ".join(rejection_texts(selection, titles)))
