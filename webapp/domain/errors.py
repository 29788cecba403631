"""Domain errors; webapp.errors maps each one to an HTTP status in a single table."""


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
