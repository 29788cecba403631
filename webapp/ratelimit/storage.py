"""A `limits` storage (scheme `landgis://`) over the store-backed counters.

`limits` registers every Storage subclass under its STORAGE_SCHEME, so Flask-Limiter could also
use it (storage_uri="landgis://", storage_options={"counters": ...}); webapp.ratelimit builds
it directly. Only the fixed-window strategy is supported (one row per address and limit).
"""

from typing import ClassVar

from limits.storage import Storage

SCHEME = "landgis"


class LandgisStorage(Storage):
    """Fixed-window counters shared by every server process (see webapp.ratelimit.counters)."""

    STORAGE_SCHEME: ClassVar[list[str]] = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 counters=None, **options) -> None:
        if counters is None:
            raise ValueError("the landgis:// rate-limit storage needs counters=…")
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.counters = counters

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """Errors of the counters' database (Flask-Limiter swallows them: the request passes)."""
        return self.counters.errors

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count amount more hits of key in its window of expiry seconds; the new count."""
        return self.counters.incr(key, expiry, amount)

    def get(self, key: str) -> int:
        """Hits of key in its current window."""
        return self.counters.get(key)

    def get_expiry(self, key: str) -> float:
        """Unix time at which key's window ends."""
        return self.counters.get_expiry(key)

    def check(self) -> bool:
        """Whether the counters can be reached."""
        return self.counters.check()

    def reset(self) -> int | None:
        """Forget every counter."""
        return self.counters.reset()

    def clear(self, key: str) -> None:
        """Forget one counter."""
        self.counters.clear(key)
