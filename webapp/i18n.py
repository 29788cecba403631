"""Languages: Chinese by default, English on request; the choice is remembered in a cookie.
Also the district's time zone (TIME_ZONE) and the template helpers that write times, money and
contacts as the page's language does."""

from urllib.parse import urlencode

from flask import Flask, current_app, request
from flask_babel import Babel

from webapp.config import LANGUAGES
from webapp.domain.contact_links import contact_parts
from webapp.domain.local_time import district_time_text, use_time_zone, utc_offset_text
from webapp.domain.money import format_wan

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
    use_time_zone(app.config["TIME_ZONE"])  # the process's zone, for code without a request too
    app.jinja_env.globals.update(district_time=district_time_text, utc_offset=utc_offset_text,
                                 contact_parts=contact_parts)
    app.add_template_filter(money_wan, "wan")

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


def money_wan(value_wan: float | None, per_mu: bool = False) -> str:
    """Template filter `wan`: an amount in 万元 written as the page's language writes it."""
    return format_wan(value_wan, select_language(), per_mu)
