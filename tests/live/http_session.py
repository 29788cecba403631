"""A tiny cookie-keeping HTTP client on the standard library (for client processes)."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar

TIMEOUT_S = 60
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@dataclass
class Reply:
    """Status, headers (names in lower case) and text of one response."""

    status: int
    headers: dict[str, str]
    text: str


class Session:
    """Cookies shared by every server of one site (hosts match, ports may differ)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                                  _NoRedirect())

    def request(self, method: str, url: str, data: dict | None = None, body: object = None,
                headers: dict[str, str] | None = None) -> Reply:
        """Send a request; redirects and errors are returned, not raised or followed."""
        headers = dict(headers or {})
        payload = None
        if data is not None:
            payload = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=payload, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=TIMEOUT_S) as response:
                return Reply(response.status, _lower(response.headers),
                             response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            with error:
                return Reply(error.code, _lower(error.headers), error.read().decode("utf-8"))

    def login(self, base_url: str, name: str, password: str) -> Reply:
        """Log in through the login form."""
        token = CSRF.search(self.request("GET", base_url + "/auth/login").text).group(1)
        return self.request("POST", base_url + "/auth/login",
                            data={"csrf_token": token, "name": name, "password": password})
