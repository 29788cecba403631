"""Saved import profiles as staff manage them: parse their form fields, list, rename, delete,
and download one as the mapping file `landgis import --mapping` reads."""

import json
from collections.abc import Mapping

from webapp.domain.errors import InvalidParameterError
from webapp.domain.messages import N_
from webapp.services import get_store
from webapp.store.import_profiles import ImportProfile

MAX_ID_DIGITS = 19


def parse_number(form: Mapping[str, str], name: str) -> int:
    """A positive whole number from a form field (an id or a version); InvalidParameterError
    (400) otherwise."""
    text = (form.get(name) or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > MAX_ID_DIGITS or int(text) < 1:
        raise InvalidParameterError(name, N_("must be a whole number above 0"))
    return int(text)


def parse_profile_choice(form: Mapping[str, str]) -> int | None:
    """The profile picked for an upload: its id, or None for "no profile"."""
    return None if (form.get("profile_id") or "") == "none" else parse_number(form,
                                                                              "profile_id")


def rename_profile(profile_id: int, form: Mapping[str, str], actor: str) -> ImportProfile:
    """Rename a profile from the form's name and version (ConflictError when stale or taken)."""
    return get_store().import_profiles.update(profile_id, parse_number(form, "version"), actor,
                                              name=form.get("name") or "")


def delete_profile(profile_id: int, form: Mapping[str, str]) -> ImportProfile:
    """Delete a profile at the form's version (ConflictError when stale); the deleted one."""
    profiles = get_store().import_profiles
    profile = profiles.get(profile_id)
    profiles.delete(profile_id, parse_number(form, "version"))
    return profile


def profile_file(profile_id: int) -> tuple[str, bytes]:
    """(download name, UTF-8 JSON) of a profile as a mapping file: its name, then the mapping's
    sections (read back by `landgis import --mapping`, which skips the name)."""
    profile = get_store().import_profiles.get(profile_id)
    data = {"name": profile.name, **profile.mapping}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return f"import-profile-{profile.id}.json", text.encode("utf-8")
