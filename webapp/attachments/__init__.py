"""Parcel photos and documents: staff attach checked images and PDFs (checking.py, images.py,
pdfs.py), the parcel page shows them as a gallery, and files are served with safe headers
(serving.py) to whoever may see them (drafts and internal files: staff only)."""

from flask import Blueprint, Flask

bp = Blueprint("attachments", __name__, url_prefix="/attachments")


def init_app(app: Flask) -> None:
    """Register the routes and the gallery's template function."""
    from webapp.attachments import views  # noqa: F401  (register routes)
    from webapp.attachments.serving import gallery_attachments

    app.register_blueprint(bp)
    app.jinja_env.globals["parcel_attachments"] = gallery_attachments
