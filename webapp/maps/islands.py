"""JSON data islands: data for the page's scripts, as inert text rendered once (no Flask).

A data island is a `<script type="application/json" id="…">` element. The browser never runs it;
landgis's static scripts read it with JSON.parse(element.textContent). Its text is JSON whose
`<`, `>`, `&`, `'`, U+2028 and U+2029 are written as \\uXXXX escapes, so no value can end the
element, open a comment or differ between the HTML parser and JSON.parse.
"""

import json
import re
from dataclasses import dataclass

from markupsafe import Markup

ISLAND_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")
# (character, JSON escape); str.replace per character is far faster than str.translate.
_HTML_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


@dataclass(frozen=True)
class DataIsland:
    """Data the page hands to its scripts under an element id (letters, digits, _ and -)."""

    id: str
    data: object

    def __post_init__(self) -> None:
        if not ISLAND_ID.fullmatch(self.id):
            raise ValueError(f"data island id {self.id!r} is not a plain lowercase name")


def island_json(data: object) -> Markup:
    """JSON of data safe as the text of a <script type="application/json"> element.

    The escapes are JSON string escapes, so JSON.parse returns the original text; outside
    strings JSON has none of these characters.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for character, escape in _HTML_UNSAFE:
        text = text.replace(character, escape)
    return Markup(text)  # every character unsafe in HTML is escaped above
