"""Routes of the account pages (admins only): parse the request, call one function, render."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin import bp
from webapp.admin.pages import field_messages, staff_context
from webapp.auth.accounts import change_account, create_account, reset_password
from webapp.auth.roles import role_required
from webapp.domain.errors import InvalidEditError, NotFoundError
from webapp.services import get_store


def _account(user_id: int):
    user = get_store().staff.get_user(user_id)
    if user is None:
        raise NotFoundError(_("No account has the number “%(key)s”.", key=user_id))
    return user


def render_users(status: int = 200, errors: dict | None = None, values: dict | None = None):
    """The account list with the form for a new account."""
    return render_template("admin/users.html", users=get_store().staff.users(), errors=errors or {},
                           values=values or {"role": "editor"}, **staff_context()), status


def render_user(user_id: int, status: int = 200, errors: dict | None = None):
    """One account: role, active flag and a new password."""
    user = _account(user_id)
    return render_template("admin/user.html", account=user, errors=errors or {},
                           **staff_context()), status


@bp.get("/users")
@role_required("admin")
def users():
    """Every account, and a form to add one."""
    return render_users()


@bp.post("/users")
@role_required("admin")
def create_user():
    """Create an account with the password typed twice."""
    form = request.form
    try:
        user = create_account(get_store(), form.get("name", ""), form.get("role", ""),
                              form.get("password", ""), form.get("password_confirm", ""))
    except InvalidEditError as error:
        return render_users(422, field_messages(error), {"name": form.get("name", ""),
                                                          "role": form.get("role", "")})
    flash(_("Created the account “%(name)s”.", name=user.name))
    return redirect(url_for("admin.users"))


@bp.get("/users/<int:user_id>")
@role_required("admin")
def user(user_id: int):
    """One account's settings."""
    return render_user(user_id)


@bp.post("/users/<int:user_id>")
@role_required("admin")
def update_user(user_id: int):
    """Change an account's role and whether it may log in."""
    store = get_store()
    try:
        change_account(store, _account(user_id), request.form.get("role", ""),
                       request.form.get("active") == "yes")
    except InvalidEditError as error:
        return render_user(user_id, 422, field_messages(error))
    flash(_("Saved the account."))
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/password")
@role_required("admin")
def reset_user_password(user_id: int):
    """Set a new password; the account's sessions end."""
    store = get_store()
    try:
        reset_password(store, _account(user_id), request.form.get("password", ""),
                       request.form.get("password_confirm", ""))
    except InvalidEditError as error:
        return render_user(user_id, 422, field_messages(error))
    flash(_("Set a new password; the account's sessions have ended."))
    return redirect(url_for("admin.user", user_id=user_id))
