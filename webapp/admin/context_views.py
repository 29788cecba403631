"""Staff pages of the context layers (editors and admins): the list, an upload that creates or
replaces a layer (checked whole before anything is written), and delete with confirmation."""

from collections.abc import Mapping

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from webapp.admin import bp
from webapp.admin.pages import field_messages
from webapp.auth.roles import current_actor, role_required
from webapp.domain.context import CONTEXT_KINDS, ContextLayer
from webapp.domain.errors import (
    DataFileError,
    InvalidEditError,
    InvalidParameterError,
    NotFoundError,
)
from webapp.domain.messages import N_
from webapp.importing.context_layers import (
    ContextImportOptions,
    ContextPlan,
    apply_context_import,
    plan_context_import,
)
from webapp.imports.steps import upload_area, upload_owner
from webapp.public.map_page import language
from webapp.services import get_store

TEXT_FIELDS = ("name", "title", "kind", "layer", "crs", "encoding", "name_field", "class_field")
MAX_FIELD_LENGTH = 200
MAX_REPORT_ROWS = 500


def kind_labels() -> dict[str, str]:
    """Each context kind's label in the user's language, in CONTEXT_KINDS order."""
    zh = language() == "zh"
    return {key: kind.label_zh if zh else kind.label_en for key, kind in CONTEXT_KINDS.items()}


def parse_context_form(form: Mapping[str, str]) -> tuple[dict[str, str], ContextImportOptions]:
    """The upload form's text fields (stripped) and import options; InvalidParameterError for
    a field longer than MAX_FIELD_LENGTH."""
    values = {name: (form.get(name) or "").strip() for name in TEXT_FIELDS}
    for name, value in values.items():
        if len(value) > MAX_FIELD_LENGTH:
            raise InvalidParameterError(name, N_("longer than %(limit)s characters"),
                                        limit=MAX_FIELD_LENGTH)
    values["replace"] = "1" if form.get("replace") in ("1", "on") else ""
    options = ContextImportOptions(*(values[n] or None for n in (
        "layer", "crs", "encoding", "name_field", "class_field")))
    return values, options


def import_upload(upload: FileStorage, values: dict[str, str],
                  options: ContextImportOptions) -> tuple[ContextPlan, ContextLayer]:
    """Keep the upload under the size limit, plan it, write it atomically, drop the file.
    DataFileError for a bad file or an unasked replace; InvalidEditError for bad fields."""
    store = get_store().context
    if not values["replace"] and store.layer(values["name"]) is not None:
        raise DataFileError(_("A layer named “%(name)s” exists already; tick “Replace” to "
                              "replace its features.", name=values["name"]))
    area, owner = upload_area(), upload_owner()
    token = area.save(upload.stream, upload.filename or "upload", owner)
    try:
        plan = plan_context_import(area.path(token, owner), values["name"], values["title"],
                                   values["kind"], options)
        return plan, apply_context_import(store, plan, current_actor())
    finally:
        area.discard(token, owner)


def render_context_page(status: int = 200, values: Mapping[str, str] | None = None,
                        error: str | None = None, errors: Mapping[str, str] | None = None,
                        plan: ContextPlan | None = None):
    """The layer list, the upload form (with the user's input and problems) and the report
    of an import just written."""
    return render_template("admin/context.html", layers=get_store().context.layers(),
                           kinds=kind_labels(), values=values or {"kind": "road"},
                           error=error, errors=errors or {}, plan=plan,
                           max_report_rows=MAX_REPORT_ROWS), status


@bp.get("/context")
@role_required("editor")
def context_layers():
    """Every context layer, with the upload form (prefilled to replace one: ?replace=NAME)."""
    replacing = get_store().context.layer(request.args.get("replace", ""))
    values = ({"name": replacing.name, "title": replacing.title, "kind": replacing.kind,
               "replace": "1"} if replacing else None)
    return render_context_page(values=values)


@bp.post("/context")
@role_required("editor")
def upload_context():
    """Create or replace a layer from an uploaded file; the page shows its report."""
    values, options = parse_context_form(request.form)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_context_page(400, values, _("Choose a file to upload."))
    try:
        plan, stored = import_upload(upload, values, options)
    except InvalidEditError as error:
        return render_context_page(422, values, _("Nothing was written."), field_messages(error))
    except DataFileError as error:
        return render_context_page(400, values, f"{error} " + _("Nothing was written."))
    flash(_("Imported the layer “%(title)s”: %(count)s features.", title=stored.title,
            count=stored.feature_count))
    return render_context_page(values={"kind": stored.kind}, plan=plan)


def _layer(name: str) -> ContextLayer:
    layer = get_store().context.layer(name)
    if layer is None:
        raise NotFoundError(_("No context layer is named “%(name)s”.", name=name))
    return layer


@bp.get("/context/<name>/delete")
@role_required("editor")
def confirm_delete_context(name: str):
    """Ask before deleting a layer."""
    return render_template("admin/context_delete.html", layer=_layer(name), kinds=kind_labels())


@bp.post("/context/<name>/delete")
@role_required("editor")
def delete_context(name: str):
    """Delete a layer and its features."""
    layer = _layer(name)
    get_store().context.delete_layer(layer.name)
    flash(_("Deleted the layer “%(title)s”.", title=layer.title))
    return redirect(url_for("admin.context_layers"))
