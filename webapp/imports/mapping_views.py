"""Routes of the import's mapping step: the page mapping an upload's fields and values,
re-validating with it, loading a mapping file, and choosing or saving a profile for it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.auth.roles import current_actor, role_required
from webapp.domain.errors import InvalidParameterError
from webapp.domain.messages import N_
from webapp.errors import message_of
from webapp.imports import bp
from webapp.imports.mapping_steps import (
    apply_mapping_form,
    choose_profile,
    load_mapping_file,
    mapping_page,
    save_profile,
    update_profile,
)
from webapp.imports.profiles import parse_number, parse_profile_choice
from webapp.imports.steps import option_query, parse_import_options


def back_to_preview(token: str):
    """Redirect to the upload's preview with the import options of the form."""
    return redirect(url_for("imports.preview", token=token, **option_query(request.form)))


def render_mapping(token: str, values, error: str | None = None, status: int = 200):
    """The mapping page with the options of `values` (and an error shown at its top)."""
    options, mode = parse_import_options(values)
    page = mapping_page(token, options)
    return render_template("imports/mapping.html", token=token, page=page, mode=mode,
                           options=option_query(values), error=error), status


@bp.get("/<token>/mapping")
@role_required("editor")
def mapping(token: str):
    """Each source field with samples and its target, each unknown value with its count."""
    return render_mapping(token, request.args)


@bp.post("/<token>/mapping")
@role_required("editor")
def apply_mapping(token: str):
    """Keep the page's mapping with the upload and show the new report (re-validate)."""
    options, _mode = parse_import_options(request.form)
    try:
        apply_mapping_form(token, options, request.form)
    except InvalidParameterError as error:
        return render_mapping(token, request.form, message_of(error), 400)
    flash(_("The mapping was applied; this is the new report."))
    return back_to_preview(token)


@bp.post("/<token>/mapping/file")
@role_required("editor")
def mapping_file(token: str):
    """Use a mapping file (JSON, as `landgis import --mapping` reads) for the upload."""
    options, _mode = parse_import_options(request.form)
    upload = request.files.get("mapping_file")
    if upload is None or not upload.filename:
        raise InvalidParameterError("mapping_file", N_("choose a mapping file"))
    load_mapping_file(token, options, upload.stream.read(2 << 20))
    flash(_("The mapping file was applied; this is the new report."))
    return back_to_preview(token)


@bp.post("/<token>/profile")
@role_required("editor")
def use_profile(token: str):
    """Apply a saved profile (or none) to the upload."""
    options, _mode = parse_import_options(request.form)
    choose_profile(token, options, parse_profile_choice(request.form))
    return back_to_preview(token)


@bp.post("/<token>/profile/save")
@role_required("editor")
def keep_profile(token: str):
    """Save the upload's mapping as a new profile, or into the profile it came from."""
    options, _mode = parse_import_options(request.form)
    if request.form.get("update"):
        profile = update_profile(token, options, parse_number(request.form, "version"),
                                 current_actor())
    else:
        profile = save_profile(token, options, request.form.get("name") or "", current_actor())
    flash(_("Saved the import profile “%(name)s”.", name=profile.name))
    return back_to_preview(token)

