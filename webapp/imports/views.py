"""Routes of the staff import: upload, preview the report, download it, confirm or cancel."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.auth.roles import current_actor, role_required
from webapp.domain.errors import DataFileError
from webapp.imports import bp
from webapp.imports.mapping_steps import mapping_panel
from webapp.imports.preview_facts import report_csv_text, report_summary, row_reason
from webapp.imports.replace_guard import CONFIRM_FIELD, offered_modes
from webapp.imports.steps import (
    confirm_import,
    discard_upload,
    option_query,
    parse_import_options,
    preview_import,
    save_upload,
)


@bp.get("/")
@role_required("editor")
def upload_form():
    """The upload form."""
    return render_template("imports/upload.html", modes=offered_modes(), error=None)


@bp.post("/")
@role_required("editor")
def upload():
    """Keep the uploaded file under a token and show its preview."""
    parse_import_options(request.form)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("imports/upload.html", modes=offered_modes(),
                               error=_("Choose a file to upload.")), 400
    token = save_upload(upload.stream, upload.filename)
    return redirect(url_for("imports.preview", token=token, **option_query(request.form)))


@bp.get("/<token>")
@role_required("editor")
def preview(token: str):
    """The import report of an uploaded file, with the confirm button."""
    options, mode = parse_import_options(request.args)
    shown = preview_import(token, options)
    return render_template("imports/preview.html", token=token, preview=shown, mode=mode,
                           options=option_query(request.args), modes=offered_modes(),
                           mapping_panel=mapping_panel(token, options),
                           summary=report_summary, reason=row_reason)


@bp.get("/<token>/report.csv")
@role_required("editor")
def report_csv(token: str):
    """The per-row report as a CSV download."""
    options, _mode = parse_import_options(request.args)
    shown = preview_import(token, options, describe=False)
    if shown.plan is None:
        raise DataFileError(shown.error)
    return Response(report_csv_text(shown.plan.report), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="import-report.csv"'})


@bp.post("/<token>/confirm")
@role_required("editor")
def confirm(token: str):
    """Write the import and report what was written."""
    options, mode = parse_import_options(request.form)
    name, result = confirm_import(token, options, mode, current_actor(),
                                  request.form.get(CONFIRM_FIELD))
    flash(_("Imported %(name)s: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.",
            name=name, new=result.inserted, updated=result.updated, unchanged=result.unchanged))
    return redirect(url_for("admin.parcels"))


@bp.post("/<token>/cancel")
@role_required("editor")
def cancel(token: str):
    """Drop an upload without importing it."""
    discard_upload(token)
    flash(_("The upload was discarded; nothing was imported."))
    return redirect(url_for("imports.upload_form"))
