"""The embeddable map (/embed): the map page's map alone, for an <iframe> on the sites that
EMBED_ALLOWED_ORIGINS names (CSP frame-ancestors; every other page refuses to be framed)."""

from flask import Blueprint

bp = Blueprint("embed", __name__)

from webapp.embed import views  # noqa: E402,F401  (routes register on bp)
