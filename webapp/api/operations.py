"""The @api_operation decorator: declares an API view's parameters and responses, parses them.

The declaration is stored on the view, so the OpenAPI document is built from the same data
that parses the request.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from flask import request

from webapp.api.params import parse_request


@dataclass(frozen=True)
class Operation:
    """What one API view accepts and returns.

    parameters: names in the parameter registry (query, path, header); content: media type of
    a 200 → schema name; request_body: media type → schema name of the body it reads;
    extra_statuses: error statuses beyond those every operation can answer;
    response_headers: headers of a 200 (such as ETag).
    """

    parameters: tuple[str, ...]
    content: dict[str, str | None]
    tag: str
    extra_statuses: tuple[int, ...] = field(default=())
    request_body: dict[str, str] = field(default_factory=dict)
    response_headers: tuple[str, ...] = field(default=())


def api_operation(parameters: tuple[str, ...], content: dict[str, str | None],
                  tag: str = "features", **details) -> Callable:
    """Decorate a view: parse its declared parameters (refusing others) and pass them as a dict.

    `details` are the optional fields of Operation (extra_statuses, request_body,
    response_headers)."""
    declaration = Operation(parameters, content, tag, **details)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def run(**path_values: str):
            return view(parse_request(parameters, request.args, path_values, request.headers))

        run.api_operation = declaration
        return run
    return decorate


def operation_of(view: Callable) -> Operation | None:
    """The declaration of a view, or None for routes declared elsewhere."""
    return getattr(view, "api_operation", None)
