"""Request body limits per route: UPLOAD_MAX_MB for the import upload, FORM_MAX_KB for the rest.

The limit is the request's `max_content_length`, which werkzeug applies to the Content-Length
and, when the server terminates the stream (waitress and gunicorn set wsgi.input_terminated),
to the bytes of a chunked body as they are read: past it, 413 (RequestEntityTooLarge), shown by
the usual error page or JSON. Whatever reads the body first (the CSRF check, a form, get_json)
reads it under the limit of the route that was matched.
"""

from typing import IO

from flask import Flask, current_app
from flask.wrappers import Request
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

UPLOAD_ENDPOINTS = frozenset({"imports.upload", "admin.upload_context"})  # the only routes
# that take files (parcels, context layers)
ATTACHMENT_UPLOAD = "attachments.upload"  # parcel photos and PDFs (ATTACHMENT_MAX_MB per file)


def body_limit_bytes(endpoint: str | None, config) -> int:
    """The most bytes a request body to `endpoint` may have (None: a route that did not match)."""
    largest = config["MAX_CONTENT_LENGTH"]  # UPLOAD_MAX_MB, unless a test lowered it
    if endpoint in UPLOAD_ENDPOINTS:
        return largest
    if endpoint == ATTACHMENT_UPLOAD:  # photos and PDFs, several files at once
        files_bytes = config["ATTACHMENT_MAX_MB"] * config["ATTACHMENT_MAX_FILES"] * 1024 * 1024
        return files_bytes + config["FORM_MAX_KB"] * 1024
    return min(largest, config["FORM_MAX_KB"] * 1024)


class ChunkedBodyStream(LimitedStream):
    """A chunked body read under a maximum: werkzeug's LimitedStream.readall() stops quietly at
    the maximum (a form or JSON body would be cut short and misread); this one answers 413 when
    a byte follows."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__(stream, limit, is_max=True)
        self._source = stream

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted and self._source.read(1):
            self.on_exhausted()  # raises RequestEntityTooLarge
        return data


class LimitedRequest(Request):
    """A Flask request whose body limit depends on the route it matched."""

    @property
    def max_content_length(self) -> int | None:
        """A limit set on this request, else the route's limit (body_limit_bytes)."""
        if self._max_content_length is not None or not current_app:
            return super().max_content_length
        return body_limit_bytes(self.endpoint, current_app.config)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @cached_property
    def stream(self) -> IO[bytes]:
        """werkzeug's guarded input stream; a chunked body (no Content-Length, terminated by
        the server) is read through ChunkedBodyStream."""
        stream = Request.stream.fget(self)  # refuses a Content-Length over the limit
        limit = self.max_content_length
        if (limit is not None and self.content_length is None
                and "wsgi.input_terminated" in self.environ):
            return ChunkedBodyStream(self.environ["wsgi.input"], limit)
        return stream


def init_app(app: Flask) -> None:
    """Use LimitedRequest; the largest body anywhere is the upload limit, and no form field
    outside an uploaded file may be larger than FORM_MAX_KB."""
    app.config["MAX_CONTENT_LENGTH"] = app.config["UPLOAD_MAX_MB"] * 1024 * 1024
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["FORM_MAX_KB"] * 1024
    app.request_class = LimitedRequest
