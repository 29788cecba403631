"""Routes of the staff parcel pages: parse the request, call one function, render."""

from dataclasses import replace

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin import bp
from webapp.admin.editing import (
    find_change,
    find_staff_parcel,
    parse_version,
    restore_change,
    save_parcel_edit,
)
from webapp.admin.fields import submitted_values
from webapp.admin.ids import parse_change_number, parse_parcel_number
from webapp.admin.pages import (
    field_messages,
    render_change_log,
    render_conflict_page,
    render_edit_page,
    render_restore_page,
    staff_context,
)
from webapp.admin.texts import field_labels
from webapp.auth.roles import current_actor, role_required
from webapp.domain.audit import parse_change_filter, parse_page_number
from webapp.domain.errors import ConflictError, InvalidEditError
from webapp.domain.filters import parse_parcel_filter
from webapp.domain.parcel import parcel_etag
from webapp.domain.parcel_key import parcel_url_key
from webapp.services import get_landuse_table, get_store

LIST_LIMIT = 500


@bp.get("/")
@role_required("viewer")
def home():
    """Staff start at the parcel list."""
    return redirect(url_for("admin.parcels"))


@bp.get("/parcels")
@role_required("viewer")
def parcels():
    """Every parcel, drafts included, with the same filters as the map."""
    parcel_filter = replace(parse_parcel_filter(request.args.getlist, get_landuse_table()),
                            include_drafts=True)
    page = get_store().query(parcel_filter, limit=LIST_LIMIT, with_geometry=False)
    return render_template("admin/parcels.html", page=page, parcel_filter=parcel_filter,
                           list_limit=LIST_LIMIT, table=get_landuse_table(), **staff_context())


@bp.get("/parcels/<parcel_id>/edit")
@role_required("editor")
def edit_parcel(parcel_id: str):
    """The edit form with the stored values; its ETag is the parcel's version."""
    parcel = find_staff_parcel(get_store(), parse_parcel_number(parcel_id))
    response = make_response(render_edit_page(parcel))
    response.headers["ETag"] = parcel_etag(parcel)
    return response


@bp.post("/parcels/<parcel_id>/edit")
@role_required("editor")
def edit_parcel_submit(parcel_id: str):
    """Save the form if the parcel is still at the version it was opened at."""
    number = parse_parcel_number(parcel_id)
    submitted = submitted_values(request.form)
    base = parse_version(request.form.get("version"))
    checked = base if current_app.config["VERSION_CHECKS"] else None
    try:
        saved = save_parcel_edit(get_store(), get_landuse_table(), number, submitted,
                                 checked, current_actor(), "form")
    except InvalidEditError as error:
        parcel = find_staff_parcel(get_store(), number)
        return render_edit_page(parcel, submitted, base, field_messages(error)), 422
    except ConflictError as error:
        return render_conflict_page(error, base, submitted), 409
    flash(_("Saved %(code)s (version %(version)s).", code=saved.code, version=saved.version))
    return redirect(url_for("public.parcel", key=parcel_url_key(saved.code, saved.id)))


@bp.get("/changes")
@role_required("viewer")
def changes():
    """The district's change log with filters."""
    change_filter = parse_change_filter(request.args.getlist, tuple(field_labels()))
    return render_change_log(change_filter, parse_page_number(request.args.getlist("page")))


@bp.get("/changes/<change_id>/restore")
@role_required("admin")
def restore(change_id: str):
    """Confirm restoring the value a change replaced."""
    return render_restore_page(parse_change_number(change_id))


@bp.post("/changes/<change_id>/restore")
@role_required("admin")
def restore_submit(change_id: str):
    """Restore it as a new audited change, if the parcel is still at the confirmed version."""
    change = find_change(get_store(), parse_change_number(change_id))
    base = parse_version(request.form.get("version"))
    checked = base if current_app.config["VERSION_CHECKS"] else None
    try:
        saved = restore_change(get_store(), get_landuse_table(), change, checked, current_actor())
    except ConflictError:
        raise ConflictError(_("The parcel changed after you opened this page. Open the change "
                              "log again and repeat the restore.")) from None
    flash(_("Restored %(field)s of %(code)s.", field=change.field, code=saved.code))
    return redirect(url_for("public.parcel", key=parcel_url_key(saved.code, saved.id)))
