"""Routes of saved import profiles: the list, rename (editors), delete (admins) and download as
a mapping file."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.auth.roles import current_actor, role_required
from webapp.imports import bp
from webapp.imports.profiles import delete_profile, profile_file, rename_profile
from webapp.services import get_store


@bp.get("/profiles")
@role_required("editor")
def profiles():
    """Every saved profile with the fields it was made for."""
    return render_template("imports/profiles.html",
                           profiles=get_store().import_profiles.profiles())


@bp.post("/profiles/<int:profile_id>/rename")
@role_required("editor")
def rename(profile_id: int):
    """Rename a profile (409 when it changed since the page was read)."""
    profile = rename_profile(profile_id, request.form, current_actor())
    flash(_("Renamed the import profile to “%(name)s”.", name=profile.name))
    return redirect(url_for("imports.profiles"))


@bp.post("/profiles/<int:profile_id>/delete")
@role_required("admin")
def delete(profile_id: int):
    """Delete a profile (409 when it changed since the page was read)."""
    profile = delete_profile(profile_id, request.form)
    flash(_("Deleted the import profile “%(name)s”.", name=profile.name))
    return redirect(url_for("imports.profiles"))


@bp.get("/profiles/<int:profile_id>/mapping.json")
@role_required("editor")
def download(profile_id: int):
    """The profile as a mapping file for `landgis import --mapping`."""
    name, content = profile_file(profile_id)
    return Response(content, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
