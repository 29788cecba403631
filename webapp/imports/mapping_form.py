"""Parse the mapping page's form into an ImportMapping, in one place: rows are named by their
position in the survey the page showed (never by the file's text, which can hold anything),
every value is bounded, and a mapping the import would refuse is an InvalidParameterError."""

from collections.abc import Mapping

from webapp.domain.errors import DataFileError, InvalidParameterError
from webapp.domain.messages import N_
from webapp.importing.fields import TARGETS
from webapp.importing.mapping import VALUE_SETTABLE, VALUE_TARGETS, ImportMapping
from webapp.imports.mapping_survey import MappingSurvey

MAX_TEXT = 200
SETTING_ROWS = 20  # default and fixed rows a form may carry (the page shows the set ones + 2)
SETTINGS = ("defaults", "fixed")


def form_text(form: Mapping[str, str], name: str) -> str:
    """A stripped form value ("" when missing); InvalidParameterError when over MAX_TEXT or
    holding NUL."""
    text = (form.get(name) or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidParameterError(name, N_("longer than %(limit)s characters"),
                                    limit=MAX_TEXT)
    if "\x00" in text:
        raise InvalidParameterError(name, N_("contains control characters"))
    return text


def parse_fields(form: Mapping[str, str], survey: MappingSurvey,
                 kept: Mapping[str, str]) -> dict[str, str]:
    """Source field -> target from the field rows (a row left empty is not mapped); fields
    the page did not show keep their kept targets. A target given twice is refused."""
    fields = dict(kept)
    for index, row in enumerate(survey.fields):
        target = form_text(form, f"field-{index}")
        if target and target not in TARGETS:
            raise InvalidParameterError(f"field-{index}", N_("unknown target field “%(name)s”"),
                                        name=target)
        if target:
            fields[row.name] = target
        else:
            fields.pop(row.name, None)
    used: dict[str, str] = {}
    for source, target in fields.items():
        if target != "ignore" and target in used:
            raise InvalidParameterError("fields", N_("“%(first)s” and “%(second)s” both map "
                                                     "to %(target)s; choose one"),
                                        first=used[target], second=source, target=target)
        used[target] = source
    return fields


def parse_values(form: Mapping[str, str], survey: MappingSurvey,
                 kept: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Target -> {source value -> landgis value} from the value rows (empty: not mapped);
    values the page did not show keep their kept mapping."""
    values = {target: dict(pairs) for target, pairs in kept.items()}
    for target, rows in survey.values.items():
        pairs = values.setdefault(target, {})
        for index, row in enumerate(rows):
            chosen = form_text(form, f"value-{target}-{index}")
            if chosen:
                pairs[row.value] = chosen
            else:
                pairs.pop(row.value, None)
    return {target: pairs for target, pairs in values.items() if pairs}


def parse_settings(form: Mapping[str, str], section: str) -> dict[str, str]:
    """Target -> value of the default or fixed rows (a row without both is skipped)."""
    found: dict[str, str] = {}
    for index in range(SETTING_ROWS):
        target = form_text(form, f"{section}-target-{index}")
        value = form_text(form, f"{section}-value-{index}")
        if target and value:
            if target not in VALUE_SETTABLE:
                raise InvalidParameterError(f"{section}-target-{index}",
                                            N_("unknown target field “%(name)s”"), name=target)
            found[target] = value
    return found


def parse_mapping_form(form: Mapping[str, str], survey: MappingSurvey,
                       kept: ImportMapping) -> ImportMapping:
    """The mapping the page's form describes; InvalidParameterError naming the problem when the
    import would refuse it (unknown code, status or supply method)."""
    others = {target: text for target in VALUE_TARGETS
              if (text := form_text(form, f"others-{target}"))}
    data = {"fields": parse_fields(form, survey, kept.fields),
            "values": parse_values(form, survey, kept.values), "others": others,
            **{section: parse_settings(form, section) for section in SETTINGS}}
    return checked_mapping(data, "mapping")


def checked_mapping(data: object, parameter: str) -> ImportMapping:
    """An ImportMapping from mapping-file JSON; InvalidParameterError (400) with the reason."""
    try:
        return ImportMapping.from_json(data, parameter)
    except DataFileError as error:
        raise InvalidParameterError(parameter, N_("the mapping cannot be used: %(reason)s"),
                                    reason=str(error)) from None
