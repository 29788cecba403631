"""Where a PostGIS store lives: a store URL → libpq connection string and schema.

A store URL is a libpq URI with one extra query parameter, `schema` (default `public`):
`postgresql://user:pass@host:5432/db?schema=landgis`, or over the Unix socket with peer
authentication `postgresql:///landgis?schema=landgis`. Every table is created in that schema;
PostGIS itself must already be installed in the database (CREATE EXTENSION needs rights a
landgis role should not have).
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote

import psycopg
from psycopg.conninfo import conninfo_to_dict

from webapp.domain.errors import ConfigError
from webapp.store.redaction import redact_url, scrub_secrets

SCHEMA_PATTERN = re.compile(r"[a-z_][a-z0-9_]{0,62}")
DEFAULT_SCHEMA = "public"
@dataclass(frozen=True)
class PostGISLocation:
    """A libpq connection string and the schema that holds the landgis tables."""

    conninfo: str
    schema: str

    def table(self, name: str) -> str:
        """The schema-qualified, quoted name of a landgis table (safe to put in SQL)."""
        return f'"{self.schema}"."{name}"'

    def redacted(self) -> str:
        """The URL with its password masked (user:***@host), for messages and logs."""
        joiner = "&" if query_start(self.conninfo) < len(self.conninfo) else "?"
        return f"{redact_url(self.conninfo)}{joiner}schema={self.schema}"


def query_start(url: str) -> int:
    """Where a libpq URI's query parameters begin (after its `?`; len(url) when it has none),
    found as libpq does: the user and password end at the first @ or / after `//`, so a
    password may hold an unencoded ?."""
    start = url.find("//") + 2 if "//" in url else 0
    end_of_userinfo = min((i for i in (url.find("@", start), url.find("/", start)) if i >= 0),
                          default=-1)
    if end_of_userinfo >= 0 and url[end_of_userinfo] == "@":
        start = end_of_userinfo + 1
    mark = url.find("?", start)
    return len(url) if mark < 0 else mark + 1


def parse_postgis_url(url: str) -> PostGISLocation:
    """Split `schema=` off a libpq URI (postgresql:// or postgres://, any form libpq accepts:
    socket paths, ?host=, several hosts, percent-encoded parts); the rest goes to psycopg
    unchanged. ConfigError for a schema that is no plain name or a URI libpq refuses."""
    start = query_start(url)
    items = url[start:].split("&") if start < len(url) else []
    schemas = [unquote(item.partition("=")[2]) for item in items
               if unquote(item.partition("=")[0]) == "schema"]
    kept = [item for item in items if unquote(item.partition("=")[0]) != "schema"]
    schema = schemas[-1] if schemas else DEFAULT_SCHEMA
    if not SCHEMA_PATTERN.fullmatch(schema):
        raise ConfigError(f"LANDGIS_STORE_URL: schema “{schema}” must be a lowercase name of "
                          "letters, digits and _ (at most 63 characters)")
    base = url[:start].removesuffix("?")
    conninfo = f"{base}?{'&'.join(kept)}" if kept else base
    check_conninfo(conninfo, url)
    return PostGISLocation(conninfo, schema)


def check_conninfo(conninfo: str, url: str) -> None:
    """ConfigError (password masked) unless libpq itself can parse the connection string."""
    try:
        conninfo_to_dict(conninfo)
    except psycopg.Error as error:
        raise ConfigError(f"LANDGIS_STORE_URL: {scrub_secrets(str(error).strip(), url)} "
                          f"({redact_url(url)})") from None
