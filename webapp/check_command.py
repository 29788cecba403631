"""`landgis check`: what is wrong with this installation, before users see it.

Each line is OK, WARN or FAIL with the reason; the exit status is 1 when any line FAILs. The
settings are read as the server reads them (defaults → instance file → LANDGIS_*), but no app
is built, so a setting the server would refuse (the default secret key) is reported, not
raised. The checks: secret key, other settings, HTTPS and proxy settings, the store (reachable,
writable by a write that is rolled back, layout version), free disk for the store and the
backups, the basemap (a warning only; one tile with a short timeout).
"""

import secrets
import shutil
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from webapp.config import DEFAULT_SECRET_KEY, load_settings, validate_settings
from webapp.domain.errors import LandgisError
from webapp.health import schema_problem
from webapp.store import GeoPackageStore, ParcelStore
from webapp.store.redaction import scrub_secrets

SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 10  # a 64-hex-digit key has about 16; "aaaa…" or "1212…" has 1-2
MIN_FREE_BYTES = 1024**3  # below 1 GiB an import or a backup soon fails
BASEMAP_TIMEOUT_S = 3
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
LEVELS = ("OK", "WARN", "FAIL")


@dataclass(frozen=True)
class Finding:
    """One line of the check: its level (OK, WARN, FAIL), what was checked and why."""

    level: str
    subject: str
    reason: str

    def line(self) -> str:
        """The line as printed: level, subject, reason."""
        return f"{self.level:<4}  {self.subject}: {self.reason}"


def check_secret_key(key: str) -> Finding:
    """The secret key is set, long and not repetitive (signed sessions depend on it)."""
    if key == DEFAULT_SECRET_KEY:
        return Finding("FAIL", "secret key", "the built-in default: run `landgis init` or set "
                       "LANDGIS_SECRET_KEY (the server refuses to start with it)")
    if len(key) < SECRET_MIN_LENGTH:
        return Finding("FAIL", "secret key", f"{len(key)} characters; use at least "
                       f"{SECRET_MIN_LENGTH} random ones (e.g. {len(secrets.token_hex(32))} "
                       "hex digits as `landgis init` writes)")
    if len(set(key)) < SECRET_MIN_DISTINCT:
        return Finding("FAIL", "secret key", "too repetitive to be random; use "
                       "`python -c 'import secrets; print(secrets.token_hex(32))'`")
    return Finding("OK", "secret key", f"set, {len(key)} characters")


def check_settings(settings: Mapping[str, Any]) -> Finding:
    """The settings the server validates at start-up (the secret key is checked above)."""
    try:
        validate_settings({**settings, "TESTING": True})  # TESTING: skip the key, checked above
    except LandgisError as error:
        return Finding("FAIL", "settings", str(error))
    return Finding("OK", "settings", "valid")


def check_https(settings: Mapping[str, Any]) -> Iterator[Finding]:
    """HTTPS, proxy and listening address settings that contradict each other."""
    proxies, https = settings["TRUSTED_PROXIES"], settings["HTTPS"]
    public = settings["HOST"] not in LOOPBACK_HOSTS
    if settings["TRUSTED_PROXY_HOST"] and not proxies:
        yield Finding("FAIL", "proxy", "TRUSTED_PROXY_HOST is set without TRUSTED_PROXIES")
    if proxies and not https:
        yield Finding("WARN", "https", "behind a proxy (TRUSTED_PROXIES) but HTTPS is off: if "
                      "the proxy serves https, set LANDGIS_HTTPS=true so login cookies are "
                      "Secure")
    if proxies and public:
        yield Finding("WARN", "proxy", f"TRUSTED_PROXIES is set but landgis listens on "
                      f"{settings['HOST']}: clients that bypass the proxy can forge "
                      "X-Forwarded-For; listen on 127.0.0.1")
    if https and not proxies and not public:
        yield Finding("WARN", "https", "HTTPS is on, no proxy is trusted and landgis listens "
                      "on loopback: behind nginx set LANDGIS_TRUSTED_PROXIES=1")
    if public and not https and not proxies:
        yield Finding("WARN", "https", f"plain HTTP on {settings['HOST']}: staff passwords "
                      "travel unencrypted; put an HTTPS proxy in front")
    yield Finding("OK", "https/proxy", f"HTTPS {'on' if https else 'off'}, "
                  f"{proxies} trusted prox{'y' if proxies == 1 else 'ies'}")


def probe_write(store: ParcelStore) -> None:
    """A write rolled back, through the backend's own probe."""
    if isinstance(store, GeoPackageStore):
        from webapp.store.geopackage.write_probe import probe_geopackage_write

        probe_geopackage_write(store.path)
        return
    from webapp.store.postgis.store import PostGISStore
    from webapp.store.postgis.write_probe import probe_postgis_write

    if isinstance(store, PostGISStore):
        probe_postgis_write(store.database)


def check_store(store: ParcelStore, url: str) -> Iterator[Finding]:
    """Reachable, holding parcels, writable, with this release's layout."""
    if not store.exists():
        yield Finding("FAIL", "store", "no parcel store yet: run `landgis init`")
        return
    yield Finding("OK", "store", f"reachable, {store.count()} parcels")
    try:
        probe_write(store)
    except (LandgisError, sqlite3.Error, OSError) as error:
        yield Finding("FAIL", "store writable", scrub_secrets(str(error), url))
    else:
        yield Finding("OK", "store writable", "a test write was rolled back")
    version = store.schema_version()
    problem = schema_problem(version)
    yield (Finding("FAIL", "schema", problem) if problem
           else Finding("OK", "schema", f"layout v{version}"))


def nearest_folder(path: Path) -> Path:
    """The path, or its nearest ancestor that exists (where a new file would go)."""
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path if path.is_dir() else path.parent


def check_disk(subject: str, folder: Path, needed_bytes: int) -> Finding:
    """Free space where a file of about needed_bytes (and MIN_FREE_BYTES) must fit."""
    free = shutil.disk_usage(nearest_folder(folder)).free
    gib = free / 1024**3
    if free < needed_bytes:
        return Finding("FAIL", subject, f"{gib:.1f} GiB free in {folder}: less than a copy of "
                       f"the store ({needed_bytes / 1024**3:.1f} GiB)")
    if free < max(MIN_FREE_BYTES, 2 * needed_bytes):
        return Finding("WARN", subject, f"only {gib:.1f} GiB free in {folder}")
    return Finding("OK", subject, f"{gib:.1f} GiB free in {folder}")


def check_disks(store: ParcelStore, settings: Mapping[str, Any],
                instance_path: Path) -> Iterator[Finding]:
    """Room for the store to grow (GeoPackage) and for the next backup."""
    size = 0
    if isinstance(store, GeoPackageStore):
        size = store.path.stat().st_size if store.path.is_file() else 0
        yield check_disk("disk (store)", store.path.parent, size)
    backups = Path(settings.get("BACKUP_DIR") or "backups")
    yield check_disk("disk (backups)", backups if backups.is_absolute()
                     else instance_path / backups, size)


def basemap_tile_url(template: str) -> str:
    """The basemap's z0 tile (the whole world), from its URL template."""
    return (template.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0")
            .replace("{y}", "0").replace("{-y}", "0").replace("{r}", ""))


def check_basemap(template: str, timeout_s: float = BASEMAP_TIMEOUT_S) -> Finding:
    """Whether the basemap answers one tile in time (a warning only: maps draw without it)."""
    if not template:
        return Finding("OK", "basemap", "none configured")
    url = basemap_tile_url(template)
    request = urllib.request.Request(url, headers={"User-Agent": "landgis-check"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Finding("WARN", "basemap", f"{url.split('?')[0]} not reachable: {reason}")
    if status >= 400:
        return Finding("WARN", "basemap", f"{url.split('?')[0]} answered HTTP {status}")
    return Finding("OK", "basemap", f"{url.split('?')[0]} answered HTTP {status}")


def store_findings(settings: Mapping[str, Any], instance_path: Path) -> Iterator[Finding]:
    """The store's findings, or one FAIL saying why it cannot be opened."""
    from webapp.services import open_configured_store

    url = settings["STORE_URL"]
    try:
        store = open_configured_store(settings, instance_path)
        try:
            yield from check_store(store, url)
            yield from check_disks(store, settings, instance_path)
        finally:
            store.close()
    except (LandgisError, sqlite3.Error, OSError) as error:
        yield Finding("FAIL", "store", scrub_secrets(str(error), url))


def run_checks(settings: Mapping[str, Any], instance_path: Path) -> list[Finding]:
    """Every finding about an installation, in the order printed."""
    return [check_secret_key(str(settings["SECRET_KEY"])), check_settings(settings),
            *check_https(settings), *store_findings(settings, instance_path),
            check_basemap(settings["BASEMAP_URL"])]


@click.command("check")
def check_command() -> None:
    """Check the settings, the store, free disk and the basemap: one OK/WARN/FAIL line each;
    exit status 1 when any check fails."""
    from webapp.cli import instance_folder

    folder = instance_folder()
    try:
        settings = load_settings(folder)
    except LandgisError as error:
        click.echo(Finding("FAIL", "settings", str(error)).line())
        raise SystemExit(1) from None
    findings = run_checks(settings, folder)
    colours = {"OK": "green", "WARN": "yellow", "FAIL": "red"}
    for finding in findings:
        click.secho(finding.line(), fg=colours[finding.level])
    if any(finding.level == "FAIL" for finding in findings):
        raise SystemExit(1)
