"""Reading rendered pages in tests: JSON data islands, inline scripts, and inertness checks.

"Inert" (STYLE.md, "Data is never code"): no template was evaluated, nothing a parcel's text holds
closes a script element, and no inline script carries data.
"""

import json
import re

from markupsafe import escape

from tests.hostile import EVALUATED_MARKERS

ISLAND = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
NONCE = re.compile(r'\bnonce="([^"]+)"')

EVALUATED = EVALUATED_MARKERS  # a template evaluated the corpus text
SCRIPT_BREAK = "</script><script>"
# Fragments of the corpus that must never appear inside executable inline script.
CODE_FRAGMENTS = ("__pwned", "7*7", "lipsum", "{%", "{#", "DROP TABLE", "etc/passwd")


def islands(html: str) -> dict[str, object]:
    """The page's JSON data islands by element id, parsed."""
    return {name: json.loads(text) for name, text in ISLAND.findall(html)}


def inline_scripts(html: str) -> list[tuple[str, str]]:
    """(attributes, body) of every <script> without src that the browser would execute."""
    found = []
    for attributes, body in SCRIPT_TAG.findall(html):
        if "src=" in attributes or 'type="application/json"' in attributes:
            continue
        found.append((attributes, body))
    return found


def assert_inert(html: str) -> None:
    """No evaluated template markers, no script breakout, no corpus text in executable code."""
    leaked = [marker for marker in EVALUATED if marker in html]
    assert not leaked, f"template evaluated: {leaked}"
    assert SCRIPT_BREAK not in html, "a value closed a script element"
    for _attributes, body in inline_scripts(html):
        found = [fragment for fragment in CODE_FRAGMENTS if fragment in body]
        assert not found, f"corpus text inside an inline script: {found}"
    for text in ISLAND.findall(html):
        assert "</" not in text[1] and "\u2028" not in text[1] and "\u2029" not in text[1]


def shows_as_text(html: str, text: str) -> bool:
    """Whether text is in the page HTML-escaped (as Jinja autoescaping writes it)."""
    return str(escape(text)) in html
