"""The mapping chosen for an upload in the web step, kept beside the upload (never in the URL):
the file's source fields, the ImportMapping, and the saved profile it came from.

On an upload's first preview the file's fields are read and a saved profile made for the same
layout (field signature) is applied: the preview offers it pre-selected. Preview, report CSV and
confirm all plan with the kept mapping (see `options_with_mapping`).
"""

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from webapp.domain.errors import DataFileError
from webapp.importing.archive import DEFAULT_LIMITS
from webapp.importing.mapping import ImportMapping
from webapp.importing.pipeline import ImportOptions, open_layer
from webapp.importing.report import ImportReport
from webapp.importing.uploads import UploadArea
from webapp.services import get_store
from webapp.store.import_profiles import ImportProfile


@dataclass(frozen=True)
class MappingState:
    """An upload's mapping: for which layer and fields, the mapping itself, and the profile
    applied (id, name and version; `edited` once changed on the page since)."""

    layer: str | None
    fields: tuple[str, ...]
    mapping: ImportMapping = field(default_factory=ImportMapping)
    profile_id: int | None = None
    profile_name: str | None = None
    profile_version: int | None = None
    offered: bool = False  # applied because it matches the file's fields
    edited: bool = False

    def to_json(self) -> dict[str, Any]:
        """The state as kept in the upload's folder."""
        return {"layer": self.layer, "fields": list(self.fields),
                "mapping": self.mapping.to_json(), "profile_id": self.profile_id,
                "profile_name": self.profile_name, "profile_version": self.profile_version,
                "offered": self.offered, "edited": self.edited}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MappingState":
        """A kept state; ValueError (or DataFileError) when it is not one."""
        fields = data["fields"]
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            raise ValueError("fields")
        profile_id = data.get("profile_id")
        return cls(layer=data.get("layer"), fields=tuple(fields),
                   mapping=ImportMapping.from_json(data["mapping"], "mapping"),
                   profile_id=profile_id if isinstance(profile_id, int) else None,
                   profile_name=data.get("profile_name"),
                   profile_version=data.get("profile_version"),
                   offered=bool(data.get("offered")), edited=bool(data.get("edited")))

    def with_profile(self, profile: ImportProfile, offered: bool = False) -> "MappingState":
        """This state with a profile's mapping applied; DataFileError when the profile's
        mapping is not valid (any more) or names fields this file lacks."""
        mapping = ImportMapping.from_json(profile.mapping, profile.name)
        missing = sorted(set(mapping.fields) - set(self.fields))
        if missing:
            raise DataFileError(f"{profile.name}: maps fields this file does not have: "
                                f"{', '.join(missing)}")
        return replace(self, mapping=mapping, profile_id=profile.id, profile_name=profile.name,
                       profile_version=profile.version, offered=offered, edited=False)


def read_source_fields(path: Path, options: ImportOptions) -> tuple[str, ...]:
    """The source field names of the upload's chosen layer (metadata only, no features);
    DataFileError when the file cannot be opened."""
    report = ImportReport(source=path.name, file_format="")
    with tempfile.TemporaryDirectory(prefix="landgis-fields-") as workdir:
        reader = open_layer(path, options.layer, options.encoding, Path(workdir), report,
                            DEFAULT_LIMITS)
    return tuple(reader.columns)


def first_state(path: Path, options: ImportOptions) -> MappingState:
    """A new upload's state: its fields, and the newest valid profile of the same layout."""
    state = MappingState(options.layer, read_source_fields(path, options))
    for profile in get_store().import_profiles.matching(state.fields):
        try:
            return state.with_profile(profile, offered=True)
        except DataFileError:
            continue  # a profile the code no longer accepts: offer the next one
    return state


def mapping_state(area: UploadArea, owner: str, token: str,
                  options: ImportOptions) -> MappingState:
    """The state kept with `owner`'s upload, made (and kept) on first use; DataFileError
    when the file cannot be opened, NotFoundError for another's token."""
    kept = area.read_mapping(token, owner)
    if kept is not None:
        try:
            state = MappingState.from_json(kept)
        except (KeyError, TypeError, ValueError):
            state = None  # written by an older landgis: start again
        if state is not None and state.layer == options.layer:
            return state
    state = first_state(area.path(token, owner), options)
    area.write_mapping(token, owner, state.to_json())
    return state


def options_with_mapping(area: UploadArea, owner: str, token: str,
                         options: ImportOptions) -> ImportOptions:
    """The options with the upload's kept mapping (a file that cannot be opened keeps the
    options as they are: planning it reports why)."""
    try:
        return replace(options, mapping=mapping_state(area, owner, token, options).mapping)
    except DataFileError:
        return options
