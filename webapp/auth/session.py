"""Login sessions (Flask-Login), CSRF protection (Flask-WTF) and their cookie settings."""

from datetime import timedelta

from flask import Flask, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin
from flask_wtf.csrf import CSRFProtect

from webapp.domain.accounts import StaffUser
from webapp.domain.errors import AuthenticationRequiredError
from webapp.errors import wants_json
from webapp.services import get_store

csrf = CSRFProtect()
login_manager = LoginManager()


class SessionUser(UserMixin):
    """The logged-in staff member as Flask-Login sees them."""

    def __init__(self, user: StaffUser) -> None:
        self.user = user

    def get_id(self) -> str:
        """id:login_epoch, so a password reset or disabling the account ends every older
        session and remember cookie (the role is read again on every request)."""
        return f"{self.user.id}:{self.user.login_epoch}"

    @property
    def is_active(self) -> bool:
        return self.user.active

    @property
    def name(self) -> str:
        """The login name."""
        return self.user.name

    @property
    def role(self) -> str:
        """viewer, editor or admin."""
        return self.user.role

    def can(self, role: str) -> bool:
        """Whether the account's role includes `role`."""
        return self.user.can(role)


def load_user(session_id: str) -> SessionUser | None:
    """The active account a session or remember cookie names, if it is still valid."""
    user_id, _sep, epoch = session_id.partition(":")
    if not all(part.isascii() and part.isdigit() for part in (user_id, epoch)):
        return None  # str.isdigit() alone accepts “²” and Arabic-Indic digits, which int() refuses
    user = get_store().staff.get_user(int(user_id))
    if user is None or not user.active or user.login_epoch != int(epoch):
        return None
    return SessionUser(user)


def unauthorized():
    """Not logged in: 401 for API clients, the login page (coming back here after) for people."""
    if wants_json():
        raise AuthenticationRequiredError(_("Log in as staff first."))
    target = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("auth.login", next=target))


def configure_cookies(app: Flask) -> None:
    """HttpOnly, SameSite=Lax, Secure under HTTPS, and short lifetimes (Flask's are 31 days for
    sessions and 365 for Flask-Login's remember cookie)."""
    secure = bool(app.config["HTTPS"])
    app.config.update(
        SESSION_COOKIE_SECURE=secure, SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["SESSION_HOURS"]),
        REMEMBER_COOKIE_SECURE=secure, REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=timedelta(days=app.config["REMEMBER_DAYS"]),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, so a long edit works
    )


def no_store_for_staff(response):
    """Pages for a logged-in user must not be kept by browsers or proxies."""
    if request.endpoint != "static" and session.get("_user_id"):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register Flask-Login and CSRFProtect (webapp.errors answers a bad CSRF token and too
    many failed logins)."""
    configure_cookies(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    csrf.init_app(app)
    app.after_request(no_store_for_staff)
