"""Languages: Chinese by default, English on request; the choice is remembered in a cookie."""

from urllib.parse import urlencode

from flask import Flask, current_app, request
from flask_babel import Babel

from webapp.config import LANGUAGES

LANGUAGE_COOKIE = "lang"
COOKIE_MAX_AGE_S = 365 * 24 * 3600


def select_language() -> str:
    """?lang= wins, then the cookie, then DEFAULT_LANGUAGE."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return current_app.config["DEFAULT_LANGUAGE"]


def remember_language(response):
    """Store an explicit ?lang= choice in a cookie so later pages keep it."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=COOKIE_MAX_AGE_S, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    """Set up Flask-Babel with the bundled zh/en catalogs."""
    Babel(app, locale_selector=select_language, default_translation_directories="translations")
    app.after_request(remember_language)

    @app.context_processor
    def language_context():
        return {"current_language": select_language(), "languages": LANGUAGES,
                "language_switch_url": language_switch_url}


def language_switch_url(language: str) -> str:
    """The link to this page in another language: the current query string (filters kept) with
    lang= set, as a query-only relative URL. It cannot leave the site, whatever the path (a
    request for `//evil.example/x` would make a path-based link protocol-relative)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return "?" + urlencode([*pairs, ("lang", language)])
