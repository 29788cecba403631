"""Store URLs in messages and logs without their password (`user:***@host`)."""

import re
from urllib.parse import quote, unquote

MASK = "***"
# scheme and slashes (also a malformed `postgresql:/`, or none), the user; then the password,
# up to the last @ (a password with an unencoded @ or / is still covered: better too much than
# too little)
USERINFO = re.compile(r"^(?P<head>[A-Za-z][A-Za-z0-9+.-]*:/+[^:/?#@\s]*|[^:/?#@\s]*(?=:(?!/)))"
                      r":(?P<password>.*)@", re.DOTALL)
URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:/+[^\s\"'“”<>]*")
# password=… as a URL query parameter or a key=value connection string item (quoted or not)
PASSWORD_ITEM = re.compile(r"(?P<key>\bpassword\s*=\s*)(?P<value>'(?:[^'\\]|\\.)*'|[^&\s]*)",
                           re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL (or libpq key=value string) with every password replaced by ***; other text,
    such as a .gpkg path, unchanged."""
    redacted = USERINFO.sub(lambda m: f"{m['head']}:{MASK}@" if m["password"] else m[0], url,
                            count=1)
    return PASSWORD_ITEM.sub(lambda m: f"{m['key']}{MASK}", redacted)


def url_secrets(url: str) -> list[str]:
    """The passwords a store URL holds, as written and percent-decoded (longest first)."""
    found = []
    match = USERINFO.match(url)
    if match and match["password"]:
        found.append(match["password"])
    found += [m["value"].strip("'") for m in PASSWORD_ITEM.finditer(url) if m["value"]]
    variants = {text for secret in found for text in (secret, unquote(secret), quote(secret))}
    return sorted((text for text in variants if text), key=len, reverse=True)


def scrub_secrets(text: str, url: str) -> str:
    """Any text (an error message from a driver, say) with the URL's passwords masked, and
    the passwords of URLs and password=… items in it."""
    for secret in url_secrets(url):
        text = text.replace(secret, MASK)
    text = URL_IN_TEXT.sub(lambda m: redact_url(m[0]), text)
    return PASSWORD_ITEM.sub(lambda m: f"{m['key']}{MASK}", text)
