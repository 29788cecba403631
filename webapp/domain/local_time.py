"""Beijing time (Asia/Shanghai, UTC+8 all year) for what staff read: stored instants are UTC,
the pages show local times and count days by the local date (no Flask)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_today(now: datetime | None = None) -> date:
    """Today's date in Beijing (now: an aware instant, default the current time)."""
    return (now or datetime.now(BEIJING)).astimezone(BEIJING).date()


def beijing_time_text(instant: str | None) -> str:
    """An ISO 8601 instant (UTC or with an offset) as Beijing time `YYYY-MM-DD HH:MM`; a bare
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
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
