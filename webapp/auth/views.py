"""Routes of the login pages: parse the request, call one function, render."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from webapp.auth import bp
from webapp.auth.login import ThrottleSettings, check_login
from webapp.auth.redirects import safe_next
from webapp.auth.session import SessionUser
from webapp.metrics import count_login_failure
from webapp.services import get_store


def _next_url() -> str:
    return safe_next(request.values.get("next"), url_for("admin.parcels"))


@bp.get("/login")
def login():
    """The login form (staff already logged in go straight on)."""
    if current_user.is_authenticated:
        return redirect(_next_url())
    return render_template("auth/login.html", next_url=_next_url(), name="")


@bp.post("/login")
def login_submit():
    """Check name and password (throttled); start a fresh session on success."""
    name = request.form.get("name", "")
    user = check_login(get_store(), name, request.form.get("password", ""),
                       request.remote_addr, ThrottleSettings.from_config(current_app))
    if user is None:
        count_login_failure("wrong")
        return render_template("auth/login.html", next_url=_next_url(), name=name,
                               error=_("The name or the password is wrong.")), 200
    session.clear()  # a new session for the new login: nothing carried over
    session.permanent = True
    login_user(SessionUser(user), remember=request.form.get("remember") == "yes")
    return redirect(_next_url())


@bp.post("/logout")
def logout():
    """End the session and forget the remember cookie."""
    session.clear()
    logout_user()  # after clear(): it leaves the note that deletes the remember cookie
    return redirect(url_for("public.index"))
