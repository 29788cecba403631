"""HTML and print CSS to an A4 PDF with WeasyPrint, offline: the page may load data: URIs
only (images are embedded by the caller), never a file or a network address; fonts come from
the system (Noto Sans CJK, subset and embedded by WeasyPrint)."""

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "landgis" / "brochure.css"


def offline_fetcher() -> "URLFetcher":
    """A URL fetcher that opens data: URIs only."""
    from weasyprint.urls import URLFetcher  # imported when first used: it takes seconds

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False)


def render_pdf(html: str) -> bytes:
    """The HTML document printed to PDF with the brochure stylesheet."""
    from weasyprint import CSS, HTML  # imported when first used: it takes seconds

    fetcher = offline_fetcher()
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher, base_url="data:,", media_type="print")
    return document.write_pdf(stylesheets=[stylesheet])
