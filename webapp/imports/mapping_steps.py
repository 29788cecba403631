"""The web mapping step's actions, free of request parsing: the page's content, applying its
form ("re-validate"), loading a mapping file, and choosing a saved profile for an upload."""

import json
from dataclasses import dataclass, replace
from typing import Any

from webapp.domain.errors import DataFileError, InvalidParameterError
from webapp.domain.export_columns import HEADERS, VALUE_NAMES
from webapp.domain.landuse import LandUse
from webapp.domain.messages import N_
from webapp.i18n import select_language
from webapp.importing.fields import TARGETS
from webapp.importing.mapping import VALUE_SETTABLE, ImportMapping
from webapp.importing.pipeline import ImportOptions
from webapp.imports.mapping_form import checked_mapping, parse_mapping_form
from webapp.imports.mapping_state import MappingState, mapping_state
from webapp.imports.mapping_survey import MappingSurvey, survey_upload
from webapp.imports.steps import upload_area, upload_owner
from webapp.services import get_landuse_table, get_store
from webapp.store.import_profiles import ImportProfile

MAPPING_FILE_MAX_BYTES = 1 << 20
# Targets without an export column of their own: (Chinese, English) names.
TARGET_NAMES = {"far": ("容积率（范围）", "Floor-area ratio (range)"),
                "density": ("建筑密度（范围）", "Building coverage (range)"),
                "green": ("绿地率（范围）", "Green ratio (range)"),
                "declared_area": ("申报面积", "Declared area"),
                "ignore": ("不导入", "Do not import")}


@dataclass
class MappingPage:
    """Everything the mapping page shows."""

    filename: str
    state: MappingState
    survey: MappingSurvey
    targets: list[tuple[str, str]]  # (target, label) for the field selects
    settable: list[tuple[str, str]]  # (target, label) for defaults and fixed values
    land_uses: list[LandUse]
    vocabularies: dict[str, list[tuple[str, str]]]  # status / supply method: (value, label)
    profiles: list[ImportProfile]


def target_label(target: str, language: str) -> str:
    """A target field's name in the language, with its key ("Parcel code · code")."""
    zh, en = HEADERS.get(target) or TARGET_NAMES.get(target) or (target, target)
    return f"{en if language == 'en' else zh} · {target}"


def vocabularies(language: str) -> dict[str, list[tuple[str, str]]]:
    """The status and supply-method values with their names in the language."""
    index = 1 if language == "en" else 0
    return {target: [(value, f"{names[index]} · {value}") for value, names in pairs.items()]
            for target, pairs in VALUE_NAMES.items()}


def current_state(token: str, options: ImportOptions) -> MappingState:
    """The logged-in staff member's upload's mapping state (made on first use)."""
    return mapping_state(upload_area(), upload_owner(), token, options)


def keep(token: str, state: MappingState) -> MappingState:
    """Keep a changed state with the upload; the state."""
    upload_area().write_mapping(token, upload_owner(), state.to_json())
    return state


def mapping_page(token: str, options: ImportOptions) -> MappingPage:
    """The mapping page of an upload; DataFileError when its file cannot be read."""
    state = current_state(token, options)
    path = upload_area().path(token, upload_owner())
    table = get_landuse_table()
    language = select_language()
    return MappingPage(
        filename=path.name, state=state,
        survey=survey_upload(path, options, state, table),
        targets=[(t, target_label(t, language)) for t in sorted(TARGETS)],
        settable=[(t, target_label(t, language)) for t in VALUE_SETTABLE],
        land_uses=table.classes(), vocabularies=vocabularies(language),
        profiles=get_store().import_profiles.profiles())


def apply_mapping_form(token: str, options: ImportOptions, form: Any) -> MappingState:
    """Re-validate: the form's mapping kept with the upload (InvalidParameterError when the
    import would refuse it); the preview then plans with it."""
    page = mapping_page(token, options)
    mapping = parse_mapping_form(form, page.survey, page.state.mapping)
    return keep(token, replace(page.state, mapping=mapping,
                               edited=page.state.edited or mapping != page.state.mapping))


def load_mapping_file(token: str, options: ImportOptions, content: bytes) -> MappingState:
    """A mapping file (JSON, as `landgis import --mapping` reads) kept with the upload;
    InvalidParameterError (400) when it is too large, not JSON or not a valid mapping."""
    if len(content) > MAPPING_FILE_MAX_BYTES:
        raise InvalidParameterError("mapping_file", N_("larger than %(limit)s MB"),
                                    limit=MAPPING_FILE_MAX_BYTES >> 20)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidParameterError("mapping_file", N_("not a JSON mapping file: %(reason)s"),
                                    reason=str(error)) from None
    mapping = checked_mapping(data, "mapping_file")
    state = current_state(token, options)
    missing = sorted(set(mapping.fields) - set(state.fields))
    if missing:
        raise InvalidParameterError("mapping_file", N_("maps fields this file does not have: "
                                                       "%(fields)s"), fields=", ".join(missing))
    return keep(token, replace(state, mapping=mapping, profile_id=None, profile_name=None,
                               profile_version=None, offered=False, edited=False))


def choose_profile(token: str, options: ImportOptions, profile_id: int | None) -> MappingState:
    """Apply a saved profile to the upload (None: no profile, the file's own guesses);
    NotFoundError for a profile that is gone, InvalidParameterError when it does not fit."""
    state = current_state(token, options)
    if profile_id is None:
        return keep(token, replace(state, mapping=ImportMapping(), profile_id=None,
                                   profile_name=None, profile_version=None, offered=False,
                                   edited=False))
    profile = get_store().import_profiles.get(profile_id)
    try:
        return keep(token, state.with_profile(profile))
    except DataFileError as error:  # the profile is not valid for this file
        raise InvalidParameterError("profile", N_("the profile cannot be used: %(reason)s"),
                                    reason=str(error)) from None


def save_profile(token: str, options: ImportOptions, name: str, actor: str) -> ImportProfile:
    """Save the upload's mapping as a new profile for its layout (ConflictError when the name
    is taken); the upload then uses that profile."""
    state = current_state(token, options)
    profile = get_store().import_profiles.add(name, state.fields, state.mapping.to_json(), actor)
    keep(token, state.with_profile(profile))
    return profile


def update_profile(token: str, options: ImportOptions, version: int,
                   actor: str) -> ImportProfile:
    """Write the upload's mapping into the profile it came from (ConflictError when the
    profile changed since `version` was read)."""
    state = current_state(token, options)
    if state.profile_id is None:
        raise InvalidParameterError("profile", N_("this upload uses no saved profile"))
    profile = get_store().import_profiles.update(
        state.profile_id, version, actor, fields=state.fields, mapping=state.mapping.to_json())
    keep(token, state.with_profile(profile))
    return profile


@dataclass
class MappingPanel:
    """The preview's mapping section: the upload's state (None when its file cannot be
    opened) and the saved profiles to choose from, those made for this layout first."""

    state: MappingState | None
    profiles: list[ImportProfile]
    matching: set[int]


def mapping_panel(token: str, options: ImportOptions) -> MappingPanel:
    """The preview's mapping section of an upload."""
    try:
        state: MappingState | None = current_state(token, options)
    except DataFileError:
        state = None
    store = get_store().import_profiles
    matching = {p.id for p in store.matching(state.fields)} if state else set()
    profiles = sorted(store.profiles(), key=lambda p: (p.id not in matching, p.name))
    return MappingPanel(state, profiles, matching)
