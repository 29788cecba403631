"""Why an attached file is refused: an English message marked for translation, its values,
and the HTTP status (413 too large, 422 everything else)."""

from webapp.domain.errors import DataFileError


class AttachmentRefusedError(DataFileError):
    """A file that cannot be attached; the message names the file and the reason."""

    def __init__(self, message: str, params: dict[str, object], status: int = 422) -> None:
        super().__init__(message % params)
        self.message = message
        self.params = params
        self.status = status
