"""Body limits hold on a real waitress server, where chunked bodies arrive without a
Content-Length (waitress de-chunks them and sets wsgi.input_terminated)."""

import http.client
from urllib.parse import urlsplit

import pytest

from tests.live.servers import live_servers, prepare_instance

pytestmark = pytest.mark.slow

KB = 1024


@pytest.fixture
def server(tmp_path):
    app = prepare_instance(tmp_path, {"eddie": "editor"})
    with live_servers(app, 1, tmp_path) as urls:
        yield urlsplit(urls[0])


def post_chunked(server, path: str, chunks, content_type: str) -> int:
    """POST a body in chunked transfer encoding (no Content-Length); the response status."""
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
    try:
        connection.request("POST", path, body=chunks, encode_chunked=True,
                           headers={"Content-Type": content_type,
                                    "Transfer-Encoding": "chunked"})
        return connection.getresponse().status
    except (BrokenPipeError, ConnectionResetError):  # refused before the whole body was sent
        return 413
    finally:
        connection.close()


def chunks(total: int, head: bytes = b""):
    yield head
    for _ in range(total // (16 * KB)):
        yield b"x" * (16 * KB)


def test_waitress_chunked_login_body_over_the_limit_is_413(server):
    status = post_chunked(server, "/auth/login", chunks(2 * 1024 * KB, b"name=eddie&password="),
                          "application/x-www-form-urlencoded")
    assert status == 413


def test_waitress_chunked_small_login_body_is_read(server):
    status = post_chunked(server, "/auth/login", iter([b"name=eddie&password=x"]),
                          "application/x-www-form-urlencoded")
    assert status == 400  # read, and refused for its missing CSRF token, not for its size
