"""The web import's steps, free of request parsing: options, preview, confirm."""

import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from webapp.domain.errors import DataFileError, InvalidParameterError
from webapp.domain.messages import N_
from webapp.importing.pipeline import (
    MODES,
    ImportOptions,
    ImportPlan,
    ImportResult,
    apply_import,
    dataset_layers,
    fill_plan_streets,
    plan_import,
)
from webapp.importing.service_area import service_area_from
from webapp.importing.uploads import UploadArea
from webapp.imports.mapping_state import options_with_mapping
from webapp.imports.preview_facts import PreviewFacts, describe_plan
from webapp.imports.replace_guard import REPLACE, check_mode_allowed, check_removal_confirmed
from webapp.metrics import observe_import
from webapp.services import get_landuse_table, get_store

OPTION_FIELDS = ("layer", "crs", "encoding", "mode", "draft", "publish")
CHECKED = ("1", "on", "true")
MAX_OPTION_LENGTH = 200


@dataclass
class Preview:
    """A planned import (or the reason it cannot be planned) for the preview page."""

    filename: str
    plan: ImportPlan | None
    error: str | None
    layers: list[str]
    facts: PreviewFacts = field(default_factory=PreviewFacts)  # effect, repairs, map


def upload_area() -> UploadArea:
    """Pending uploads live in the instance folder, limited to UPLOAD_MAX_MB."""
    config = current_app.config
    return UploadArea(Path(current_app.instance_path) / "uploads",
                      config["UPLOAD_MAX_MB"] * 1024 * 1024)


def upload_owner() -> str:
    """Who owns the uploads of this request: the logged-in staff account's id."""
    return f"account:{current_user.user.id}"


def save_upload(stream, filename: str) -> str:
    """Keep an upload for the logged-in staff member; its token."""
    return upload_area().save(stream, filename, upload_owner())


def discard_upload(token: str) -> None:
    """Drop one of the logged-in staff member's uploads (NotFoundError for others')."""
    upload_area().discard(token, upload_owner())


def parse_import_options(values: MultiDict) -> tuple[ImportOptions, str]:
    """Import options and mode from form or query values; InvalidParameterError when bad."""
    text = {name: (values.get(name) or "").strip() for name in ("layer", "crs", "encoding")}
    for name, value in text.items():
        if len(value) > MAX_OPTION_LENGTH:
            raise InvalidParameterError(name, N_("longer than %(limit)s characters"),
                                        limit=MAX_OPTION_LENGTH)
    mode = values.get("mode") or "upsert"
    if mode not in MODES:
        raise InvalidParameterError("mode", N_("unknown import mode “%(mode)s”"), mode=mode)
    draft, publish = values.get("draft") in CHECKED, values.get("publish") in CHECKED
    if draft and publish:
        raise InvalidParameterError("publish", N_("cannot publish drafts while importing new "
                                                  "parcels as drafts; choose one"))
    options = ImportOptions(layer=text["layer"] or None, crs=text["crs"] or None,
                            encoding=text["encoding"] or None, published=not draft,
                            publish_existing=publish,
                            service_area=service_area_from(current_app.config["SERVICE_AREA"],
                                                           get_store()))
    check_mode_allowed(mode)  # 403 for replace-all without IMPORT_REPLACE_ROLE
    return options, mode


def option_query(values: MultiDict) -> dict[str, str]:
    """The options worth carrying from one step to the next (non-empty ones)."""
    return {k: values[k] for k in OPTION_FIELDS if values.get(k)}


def preview_import(token: str, options: ImportOptions, describe: bool = True) -> Preview:
    """Plan the import of an uploaded file; a file-level problem becomes the preview's error.
    With describe, also count its effect on the store and draw it (webapp.imports.preview_facts).
    """
    path = upload_area().path(token, upload_owner())
    options = options_with_mapping(upload_area(), upload_owner(), token, options)  # kept mapping
    try:
        plan = plan_import(path, get_landuse_table(), options)
        fill_plan_streets(plan, get_store())  # shown in the report; apply_import fills too
        facts = describe_plan(plan, options) if describe else PreviewFacts()
        return Preview(path.name, plan, None, [], facts)
    except DataFileError as error:
        return Preview(path.name, None, str(error), dataset_layers(path))


def confirm_import(token: str, options: ImportOptions, mode: str, actor: str,
                   confirmation: str | None = None) -> tuple[str, ImportResult]:
    """Plan again from the same file, write it in one transaction, then drop the upload. A
    replace-all that removes parcels needs `confirmation` to name their number (400 if not,
    nothing written)."""
    area = upload_area()
    path = area.path(token, upload_owner())
    options = options_with_mapping(area, upload_owner(), token, options)  # the kept mapping
    plan = plan_import(path, get_landuse_table(), options)
    if mode == REPLACE:
        check_removal_confirmed(confirmation, get_store().import_effect(plan.parcels).removed)
    started = time.perf_counter()
    result = apply_import(get_store(), plan, mode, actor, options.publish_existing)
    observe_import(result.mode, time.perf_counter() - started, result.written)
    area.discard(token, upload_owner())
    return path.name, result
