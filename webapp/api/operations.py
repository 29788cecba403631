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
    """What one API view accepts (parameter names) and returns (media type → schema name)."""

    parameters: tuple[str, ...]
    content: dict[str, str | None]
    tag: str
    extra_statuses: tuple[int, ...] = field(default=())


def api_operation(parameters: tuple[str, ...], content: dict[str, str | None],
                  tag: str = "features", extra_statuses: tuple[int, ...] = ()) -> Callable:
    """Decorate a view: parse its declared parameters (refusing others) and pass them as a dict."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def run(**path_values: str):
            return view(parse_request(parameters, request.args, path_values))

        run.api_operation = Operation(parameters, content, tag, extra_statuses)
        return run
    return decorate


def operation_of(view: Callable) -> Operation | None:
    """The declaration of a view, or None for routes declared elsewhere."""
    return getattr(view, "api_operation", None)
