"""Domain errors; webapp.errors maps each one to an HTTP status and a stable code in one table."""

from webapp.domain.messages import N_


class LandgisError(Exception):
    """Base class of every error landgis reports to a user with a readable message."""


class InvalidParameterError(LandgisError, ValueError):
    """A query parameter or form field has a value that cannot be used.

    `message` is an English template marked with N_ and filled from `params`; the HTTP layer
    translates it into the user's language before filling it in.
    """

    def __init__(self, parameter: str, message: str, **params: object) -> None:
        super().__init__(f"{parameter}: {message % params if params else message}")
        self.parameter = parameter
        self.message = message
        self.params = params


class NotFoundError(LandgisError, LookupError):
    """The requested parcel, collection or page does not exist."""


class DataFileError(LandgisError, ValueError):
    """A parcel file cannot be read or does not describe usable parcels."""


class ConfigError(LandgisError, RuntimeError):
    """A setting is missing or invalid; raised at start-up."""


class StoreUnavailableError(LandgisError, RuntimeError):
    """The parcel database cannot be reached right now (a server restarting, a network cut)."""

    MESSAGE = N_("The parcel database cannot be reached right now. Please try again shortly.")

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class ExportsBusyError(LandgisError, RuntimeError):
    """EXPORT_MAX_CONCURRENT exports are running already (HTTP 503 with Retry-After)."""

    MESSAGE = N_("The server is busy with other exports. Please try again in a minute.")

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class InvalidEditError(LandgisError, ValueError):
    """Submitted field values cannot be saved; `fields` maps each bad field to its problem.

    Each problem is (message, params): an English template marked with N_ and the values to fill
    in, translated by the HTTP layer like InvalidParameterError's message.
    """

    def __init__(self, fields: dict[str, tuple[str, dict[str, object]]]) -> None:
        super().__init__("; ".join(f"{name}: {message % params if params else message}"
                                   for name, (message, params) in fields.items()))
        self.fields = fields


class ConflictError(LandgisError):
    """A write was based on an old version of a record; `current` is the record as stored now."""

    def __init__(self, message: str, current: object = None) -> None:
        super().__init__(message)
        self.current = current


class PreconditionFailedError(LandgisError):
    """An If-Match precondition names a version that is no longer current (HTTP 412)."""

    def __init__(self, message: str, current: object = None) -> None:
        super().__init__(message)
        self.current = current


class PreconditionRequiredError(LandgisError):
    """A write that must name the version it is based on did not (HTTP 428)."""


class AuthenticationRequiredError(LandgisError):
    """The request needs a logged-in staff member (HTTP 401)."""


class ForbiddenError(LandgisError):
    """The logged-in staff member's role does not allow this (HTTP 403)."""


class TooManyAttemptsError(LandgisError):
    """Too many failed logins for an account or address; `retry_after_s` until the next try."""

    def __init__(self, message: str, retry_after_s: int = 0) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class RateLimitedError(LandgisError):
    """A client address went past a rate limit; `retry_after_s` until its window ends."""

    MESSAGE = N_("Too many requests from your address. Please try again in %(seconds)s seconds.")

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"rate limited for {retry_after_s} s")
        self.retry_after_s = retry_after_s
