"""What a browser would submit from an HTML form (stdlib only: also used by client processes)."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = self.action is None or a.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "on")
            else:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(html: str, action: str | None = None) -> dict[str, str]:
    """What a browser would submit from the form posting to `action` (first form if None)."""
    parser = _FormParser(action)
    parser.feed(html)
    return parser.values
