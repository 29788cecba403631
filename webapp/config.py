"""Every landgis setting with its default and help line; loaded defaults → file → env → test."""

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webapp.domain.accounts import ROLES
from webapp.domain.errors import ConfigError
from webapp.domain.local_time import parse_time_zone

DEFAULT_SECRET_KEY = "change-me-not-secret"
CONFIG_FILE = "landgis.toml"
ENV_PREFIX = "LANDGIS_"
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default value, how to parse it from text, and what it does."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _parse_bool(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"“{text}” is not true/false")


SETTINGS = (
    Setting("SECRET_KEY", DEFAULT_SECRET_KEY,
            "Signs session cookies. Must be set (landgis init writes a random one)."),
    Setting("STORE_URL", "landgis.gpkg",
            "Parcel store: a .gpkg path (relative paths are in the instance folder) or a "
            "postgresql://user:pass@host:5432/db?schema=NAME URL (PostGIS; "
            "postgresql:///db?schema=NAME over the local socket)."),
    Setting("SAMPLE_PATH", str(REPO_ROOT / "geodata" / "sample" / "parcels.geojson"),
            "Parcel file that seeds an empty store on first run."),
    Setting("AUTO_INIT", True, "Create the store from SAMPLE_PATH when it does not exist.",
            _parse_bool),
    Setting("BASEMAP_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "Basemap tile URL template ({z}/{x}/{y}); empty for no basemap. Must be WGS84 "
            "aligned (OSM, 天地图), not GCJ-02."),
    Setting("BASEMAP_ATTRIBUTION", "© OpenStreetMap contributors",
            "Attribution shown for the basemap."),
    Setting("BASEMAP_MAX_ZOOM", 19, "Highest zoom level the basemap serves.", int),
    Setting("DEFAULT_LANGUAGE", "zh", "UI language when the user has not chosen one (zh, en)."),
    Setting("DISTRICT_NAME", "花山区（示例）", "District name shown in the page title."),
    Setting("TIME_ZONE", "Asia/Shanghai", "The district's time zone (IANA name): pages show "
            "times in it and staff deadlines count days by its date."),
    Setting("HOST", "127.0.0.1", "Address `landgis serve` listens on."),
    Setting("PORT", 5000, "Port `landgis serve` listens on.", int),
    Setting("THREADS", 8, "Threads per server process of `landgis serve`.", int),
    Setting("WORKERS", 2, "Server processes of `landgis serve` (gunicorn; 1 serves with waitress "
            "in one process). About 2 per CPU core.", int),
    Setting("ACCESS_LOG", False, "`landgis serve` logs one line per request to stderr: client "
            "address, method, path, status, size, time. Never bodies, cookies or headers; query "
            "strings only of GET requests outside login (a search q= may hold typed text).",
            _parse_bool),
    Setting("ACCESS_LOG_FORMAT", "combined", "Lines of the access log: “combined” (Apache's "
            "combined format; referer and user agent always “-”) or “json” (one object per "
            "line).", str),
    Setting("METRICS_ALLOW", "127.0.0.1,::1", "Client addresses and networks that may read "
            "/metrics, comma-separated (e.g. “127.0.0.1,::1,10.0.0.0/8”); others get 404. "
            "Empty: no metrics at all.", str),
    Setting("GPKG_ALLOW_NETWORK_FS", False, "Open a GeoPackage store on a network file system "
            "(NFS, SMB/CIFS, sshfs...) anyway; SQLite's locking is unsafe there. Use PostGIS "
            "for several servers.", _parse_bool),
    Setting("WORKER_HEADER", False, "Add an X-Landgis-Worker header (the serving process id) to "
            "every response, to check that load spreads over the processes.", _parse_bool),
    Setting("MAX_EMBED_PARCELS", 5000,
            "Most parcels the map page embeds at once; more are refused with a hint to filter.",
            int),
    Setting("TILE_MAP_THRESHOLD", 5000, "Above this many parcels in the district the map page "
            "draws parcels from vector tiles and loads the result list from the API.", int),
    Setting("API_CACHE_SECONDS", 60, "How long clients and proxies may reuse API data and "
            "vector tiles before revalidating them (ETag), in seconds.", int),
    Setting("HTTPS", False, "Set when staff reach the site over HTTPS (directly or through a "
            "proxy): login cookies are then sent over HTTPS only (Secure).", _parse_bool),
    Setting("TRUSTED_PROXIES", 0, "Reverse proxies in front of landgis whose X-Forwarded-For "
            "and X-Forwarded-Proto headers are believed (0: none; 1: one nginx). The client "
            "address of login throttling and the scheme of links then come from them.", int),
    Setting("TRUSTED_PROXY_HOST", False, "Also believe the trusted proxies' X-Forwarded-Host "
            "header for the host name of absolute links (share links, QR codes, API links). "
            "Only when the proxy sets it itself; needs TRUSTED_PROXIES.", _parse_bool),
    Setting("SESSION_HOURS", 8, "A staff login ends after this many hours without a request.",
            int),
    Setting("REMEMBER_DAYS", 14, "Lifetime of the “keep me logged in” cookie, in days.", int),
    Setting("LOGIN_MAX_FAILURES", 5, "Failed logins per account within LOGIN_WINDOW_MINUTES "
            "before further tries are refused (429).", int),
    Setting("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, "Failed logins per client address within "
            "LOGIN_WINDOW_MINUTES before further tries are refused (429).", int),
    Setting("LOGIN_WINDOW_MINUTES", 15, "Window in which failed logins are counted.", int),
    Setting("VERSION_CHECKS", True, "Refuse edits made to an outdated parcel version (409/412). "
            "Switch off only to demonstrate lost updates in tests.", _parse_bool),
    Setting("EXPORT_MAX_CONCURRENT", 2, "Exports (CSV, GeoJSON, GeoPackage) streamed at once by "
            "all server processes of the machine together; more are refused (503, Retry-After).",
            int),
    Setting("UPLOAD_MAX_MB", 200, "Largest parcel file staff may upload, in MB (also the "
            "largest unpacked archive).", int),
    Setting("IMPORT_REPLACE_ROLE", "admin", "Staff role that may replace all parcels with an "
            "imported file (viewer, editor, admin); lesser roles may only update and add."),
    Setting("FORM_MAX_KB", 64, "Largest request body of every route but the upload (login, "
            "forms, PATCH), in kB; chunked bodies are counted as they arrive. Past it: 413.",
            int),
    Setting("ATTACHMENT_MAX_MB", 20, "Largest photo or PDF staff may attach to a parcel, in MB "
            "per file.", int),
    Setting("ATTACHMENT_MAX_FILES", 10, "Files attached in one upload at most (the upload's "
            "body may be ATTACHMENT_MAX_MB × this).", int),
    Setting("ATTACHMENT_IMAGE_MAX_PX", 2560, "Photos wider or taller than this many pixels are "
            "scaled down when attached (thumbnails are 480).", int),
    Setting("ATTACHMENT_MAX_PIXELS", 40_000_000, "Photos with more pixels than this are refused "
            "before they are decoded (decompression bombs).", int),
    Setting("RATE_LIMIT_API", "600/minute", "Requests per client address to the API (tiles "
            "included), shared by every server process, e.g. “600/minute” or “20/second;"
            "600/minute”; empty for no limit. Logged-in staff are exempt.", str),
    Setting("RATE_LIMIT_EXPORT", "10/hour", "Exports (CSV, GeoJSON, GeoPackage) and PDF "
            "brochures per client address; empty for no limit. Logged-in staff are exempt.", str),
    Setting("TILE_CACHE_MAX_TILES", 50_000, "Most vector tiles the GeoPackage store keeps "
            "cached; past it the tiles of filtered views go first.", int),
    Setting("TILE_CACHE_MAX_MB", 512, "Most bytes of cached vector tiles in the GeoPackage "
            "store, in MB.", int),
    Setting("SUMMARY_CACHE_MAX_ROWS", 2000, "Most district summaries (bounds, land-use "
            "breakdown per filter) either store keeps.", int),
    Setting("TEXT_SEARCH_MIN_ZOOM", 14, "Lowest zoom of vector tiles filtered by text (q=); "
            "below it such tiles are empty and the map asks to zoom in.", int),
    Setting("SELECT_MAX_CANDIDATES", 5000, "Most parcels site selection (/select, /api/select) "
            "ranks: when more match the land use, area, streets and status, it asks to narrow "
            "the requirement.", int),
    Setting("SELECT_GROUP_GAP_M", 15.0, "Widest gap in metres (a lane) between parcels that site "
            "selection still offers together as a group.", float),
    Setting("BROCHURE_LOGO", "", "Logo printed on the PDF brochures: a PNG, JPEG or WebP file "
            "(empty: no logo).", str),
    Setting("BROCHURE_MAX_PARCELS", 20, "Most parcels (pages) one PDF brochure of a filtered "
            "set or shortlist holds; more asks to narrow the filters.", int),
    Setting("RATE_LIMIT_ENQUIRY", "5/hour;20/day", "Enquiries an investor's client address "
            "may send, shared by every server process; empty for no limit.", str),
    Setting("SMTP_HOST", "", "Mail server that notifies staff of new enquiries (empty: the "
            "staff inbox only).", str),
    Setting("SMTP_PORT", 25, "Port of SMTP_HOST.", int),
    Setting("SMTP_USER", "", "Login at SMTP_HOST (empty: none).", str),
    Setting("SMTP_PASSWORD", "", "Password of SMTP_USER.", str),
    Setting("SMTP_STARTTLS", False, "Switch the SMTP connection to TLS (STARTTLS) before "
            "logging in.", _parse_bool),
    Setting("MAIL_FROM", "landgis@localhost", "Sender address of notification mail.", str),
    Setting("ENQUIRY_NOTIFY_TO", "", "Addresses notified of each new enquiry, comma-separated "
            "(empty: none).", str),
    Setting("PIPELINE_MAJOR_WAN", 10000.0, "Planned investment (万元) from which a project "
            "counts as major (重大项目) in the pipeline figures.", float),
    Setting("MIGRATE_ON_START", False, "Apply the store's pending schema migrations when the "
            "server starts; off: a store older than this release refuses to start until "
            "`landgis migrate` (after `landgis backup`).", _parse_bool),
    Setting("BACKUP_DIR", "backups", "Folder `landgis backup` writes to (relative paths are in "
            "the instance folder)."),
    Setting("BACKUP_KEEP", 14, "Backups `landgis backup` keeps in BACKUP_DIR (older ones are "
            "deleted after a new one is verified).", int),
    Setting("EMBED_ALLOWED_ORIGINS", "", "Sites that may show the map in an <iframe> (/embed), "
            "comma-separated origins such as “https://www.huashan.gov.cn”; empty: no site may "
            "frame it. No other page may ever be framed.", str),
    Setting("SERVICE_AREA", "", "The district's area as a lon/lat box “minlon,minlat,maxlon,"
            "maxlat”: imported features outside it are refused (their CRS must be wrong). "
            "Empty: the stored parcels' extent with a 0.5° margin, or China while the store is "
            "empty.", str),
    Setting("PRIVACY_CONTACT", "", "Who investors ask to see, correct or erase their enquiry "
            "data, shown in the privacy notice (empty: the notice names no one).", str),
)
LANGUAGES = ("zh", "en")


def _from_file(instance_path: Path) -> dict[str, Any]:
    path = instance_path / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as f:
            return {k.upper(): v for k, v in tomllib.load(f).items()}
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    values = {}
    for setting in SETTINGS:
        text = environ.get(ENV_PREFIX + setting.name)
        if text is None:
            continue
        try:
            values[setting.name] = setting.parse(text)
        except ValueError as error:
            raise ConfigError(f"{ENV_PREFIX}{setting.name}: {error}") from None
    return values


def load_settings(instance_path: Path, test_config: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Defaults, then instance/landgis.toml, then LANDGIS_* variables, then test_config."""
    values = {s.name: s.default for s in SETTINGS}
    values.update(_from_file(instance_path))
    values.update(_from_env(environ))
    values.update(test_config or {})
    return values


def _check_rate_limit(name: str, value: str) -> None:
    """Refuse a rate limit that is neither empty nor “N/period” (see the limits library)."""
    from limits import parse_many  # the limits library loads only when a limit is set

    if value:
        try:
            parse_many(str(value))
        except ValueError:
            raise ConfigError(f"{name}: “{value}” is not a rate limit such as “600/minute” "
                              "(empty for none)") from None


def _check_operations(values: Mapping[str, Any]) -> None:
    """Refuse an unknown access log format or a METRICS_ALLOW entry that is no address."""
    from webapp.access_log import LOG_FORMATS
    from webapp.domain.embed_origins import parse_embed_origins
    from webapp.metrics.allow import parse_allow_list

    if values["ACCESS_LOG_FORMAT"] not in LOG_FORMATS:
        raise ConfigError(f"ACCESS_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
    try:
        parse_allow_list(values["METRICS_ALLOW"])
    except ValueError as error:
        raise ConfigError(f"METRICS_ALLOW: {error}") from None
    try:
        parse_embed_origins(values["EMBED_ALLOWED_ORIGINS"])
    except ValueError as error:
        raise ConfigError(f"EMBED_ALLOWED_ORIGINS: {error}") from None


def _check_service_area(value: str) -> None:
    """Refuse a SERVICE_AREA that is neither empty nor a lon/lat box."""
    from webapp.importing.service_area import parse_service_area

    try:
        parse_service_area(value)
    except ValueError as error:
        raise ConfigError(f"SERVICE_AREA: {error}") from None


# The smallest value each numeric setting may take.
MINIMUMS = {"TRUSTED_PROXIES": 0, "WORKERS": 1, "THREADS": 1, "MAX_EMBED_PARCELS": 1,
            "TILE_MAP_THRESHOLD": 0, "EXPORT_MAX_CONCURRENT": 1, "TILE_CACHE_MAX_TILES": 1,
            "TILE_CACHE_MAX_MB": 1, "SUMMARY_CACHE_MAX_ROWS": 1, "FORM_MAX_KB": 1,
            "SESSION_HOURS": 1, "REMEMBER_DAYS": 1, "LOGIN_MAX_FAILURES": 1,
            "LOGIN_MAX_FAILURES_PER_ADDRESS": 1, "LOGIN_WINDOW_MINUTES": 1,
            "SELECT_MAX_CANDIDATES": 1, "SELECT_GROUP_GAP_M": 0, "SMTP_PORT": 1,
            "BROCHURE_MAX_PARCELS": 1,
            "PIPELINE_MAJOR_WAN": 0, "BACKUP_KEEP": 1, "ATTACHMENT_MAX_MB": 1,
            "ATTACHMENT_MAX_FILES": 1, "ATTACHMENT_IMAGE_MAX_PX": 480,
            "ATTACHMENT_MAX_PIXELS": 1_000_000}


def validate_settings(values: Mapping[str, Any]) -> None:
    """Refuse settings that would make the app unsafe or unusable, with a readable message."""
    if values["SECRET_KEY"] == DEFAULT_SECRET_KEY and not values.get("TESTING"):
        raise ConfigError("SECRET_KEY is the built-in default. Run `landgis init` (writes a "
                          f"random key to the instance folder's {CONFIG_FILE}) or set "
                          f"{ENV_PREFIX}SECRET_KEY.")
    if values["IMPORT_REPLACE_ROLE"] not in ROLES:
        raise ConfigError(f"IMPORT_REPLACE_ROLE must be one of {', '.join(ROLES)}")
    if values["DEFAULT_LANGUAGE"] not in LANGUAGES:
        raise ConfigError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
    if values["TRUSTED_PROXY_HOST"] and not values["TRUSTED_PROXIES"]:
        raise ConfigError("TRUSTED_PROXY_HOST needs TRUSTED_PROXIES (the number of proxies "
                          "whose X-Forwarded-* headers are believed)")
    for name, minimum in MINIMUMS.items():
        if values[name] < minimum:
            raise ConfigError(f"{name} must be at least {minimum}")
    for name in ("RATE_LIMIT_API", "RATE_LIMIT_EXPORT", "RATE_LIMIT_ENQUIRY"):
        _check_rate_limit(name, values[name])
    _check_operations(values)
    _check_service_area(values["SERVICE_AREA"])
    if not 0 <= values["TEXT_SEARCH_MIN_ZOOM"] <= 24:
        raise ConfigError("TEXT_SEARCH_MIN_ZOOM must be between 0 and 24")
    try:
        parse_time_zone(values["TIME_ZONE"])
    except ValueError as error:
        raise ConfigError(f"TIME_ZONE: {error}") from None
