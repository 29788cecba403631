"""The district's local time (setting TIME_ZONE, default Asia/Shanghai: Beijing time, UTC+8 all
year) for what people read: stored instants are UTC, pages show local times and count days by
the local date. No Flask: the app sets the zone once at start (use_time_zone), and the stores
call district_today() without a request."""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIME_ZONE = "Asia/Shanghai"
UTC = ZoneInfo("UTC")
_zone = {"current": ZoneInfo(DEFAULT_TIME_ZONE)}  # the process's district zone


def parse_time_zone(name: str) -> ZoneInfo:
    """An IANA time zone such as Asia/Shanghai; ValueError with a readable message if unknown."""
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"“{name}” is not a time zone name such as Asia/Shanghai") from None


def use_time_zone(name: str) -> None:
    """Make name (an IANA zone, checked) the district's time zone for this process."""
    _zone["current"] = parse_time_zone(name)


def district_zone() -> ZoneInfo:
    """The district's time zone (TIME_ZONE; Asia/Shanghai until the app sets another)."""
    return _zone["current"]


def district_today(now: datetime | None = None) -> date:
    """Today's date in the district (now: an aware instant, default the current time)."""
    zone = district_zone()
    return (now or datetime.now(zone)).astimezone(zone).date()


def district_time_text(instant: str | None) -> str:
    """An ISO 8601 instant (UTC or with an offset) as district time `YYYY-MM-DD HH:MM`; a bare
    date stays as it is, None or unreadable text gives an em dash or the text unchanged."""
    if not instant:
        return "—"
    if len(instant) == 10:
        return instant
    try:
        moment = datetime.fromisoformat(instant)
    except ValueError:
        return instant
    if moment.tzinfo is None:  # stored instants are UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(district_zone()).strftime("%Y-%m-%d %H:%M")


def utc_offset_text(now: datetime | None = None) -> str:
    """The district zone's current offset from UTC as `UTC+08:00` (for labels next to times)."""
    offset = (now or datetime.now(UTC)).astimezone(district_zone()).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
