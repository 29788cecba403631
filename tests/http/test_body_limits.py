"""Request bodies are limited per route (issue 14): UPLOAD_MAX_MB for the import upload only,
FORM_MAX_KB for login, forms and PATCH, chunked bodies (no Content-Length) counted too; over the
limit the answer is 413 with the usual error page or JSON, never a 500."""

import io
import json

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import ROLE_USERS, add_staff, client_as, csrf_token

KB = 1024
FORM_LIMIT = 64 * KB  # the FORM_MAX_KB default


class ChunkedBody(io.RawIOBase):
    """A request body of `size` bytes with no Content-Length, as a chunked upload arrives from
    waitress or gunicorn (they set wsgi.input_terminated); counts what the app read."""

    def __init__(self, size: int, head: bytes = b"") -> None:
        self.left, self.head, self.read_bytes = size, head, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        """The test client measures the stream by seeking; it is sent chunked all the same."""
        return 0

    def tell(self) -> int:
        return 0

    def readinto(self, buffer) -> int:
        chunk = (self.head or b"x" * min(len(buffer), self.left, 65536))[:len(buffer)]
        self.head = self.head[len(chunk):]
        chunk = chunk[:self.left]
        self.left -= len(chunk)
        self.read_bytes += len(chunk)
        buffer[:len(chunk)] = chunk
        return len(chunk)


CHUNKED = {"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"}


def login_data(client, password: str) -> dict[str, str]:
    return {"csrf_token": csrf_token(client), "name": ROLE_USERS["editor"], "password": password}


def test_body_limit_large_login_form_is_413_page(staff_app):
    client = staff_app.test_client()
    response = client.post("/auth/login?lang=en", data=login_data(client, "p" * FORM_LIMIT))
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert "larger than this server accepts" in response.get_data(as_text=True)


def test_body_limit_login_form_below_the_limit_is_read(staff_app):
    client = staff_app.test_client()
    response = client.post("/auth/login?lang=en", data=login_data(client, "p" * (60 * KB)))
    assert response.status_code == 200  # a wrong password, but read


def test_body_limit_chunked_login_body_is_counted(staff_app):
    client = staff_app.test_client()
    body = ChunkedBody(10 * 1024 * KB, b"name=eddie&password=")
    response = client.post("/auth/login", input_stream=body, environ_overrides=CHUNKED,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert body.read_bytes <= FORM_LIMIT + 65536  # stopped near the limit, not at 10 MB


def test_body_limit_chunked_multipart_form_is_counted(staff_app):
    client = client_as(staff_app, "admin")
    head = b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\n'
    body = ChunkedBody(10 * 1024 * KB, head)
    response = client.post("/admin/users", input_stream=body, environ_overrides=CHUNKED,
                           content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413 and body.read_bytes <= FORM_LIMIT + 65536


def patch(client, body, **kwargs):
    return client.patch("/api/collections/parcels/items/1", data=body,
                        headers={"If-Match": '"1-1"', "X-CSRFToken": csrf_token(
                            client, "/admin/parcels")}, content_type="application/json",
                        **kwargs)


def test_body_limit_large_patch_is_413_json(staff_app):
    body = json.dumps({"properties": {"note": "n" * FORM_LIMIT}})
    response = patch(client_as(staff_app, "editor"), body)
    assert response.status_code == 413 and response.get_json()["code"] == "PayloadTooLarge"


def test_body_limit_chunked_patch_is_413_json(staff_app):
    body = ChunkedBody(10 * 1024 * KB, b'{"properties": {"note": "')
    response = patch(client_as(staff_app, "editor"), None, input_stream=body,
                     environ_overrides=CHUNKED)
    assert response.status_code == 413 and response.is_json
    assert body.read_bytes <= FORM_LIMIT + 65536


def test_body_limit_small_patch_still_works(staff_app):
    client = client_as(staff_app, "editor")
    client.environ_base["HTTP_IF_MATCH"] = '"1-1"'
    response = patch(client, json.dumps({"properties": {"note": "ok"}}))
    assert response.status_code == 200, response.get_data(as_text=True)


def upload(client, payload: bytes):
    data = {"csrf_token": csrf_token(client, "/imports/"),
            "file": (io.BytesIO(payload), "big.geojson")}
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def padded_geojson(size: int) -> bytes:
    """The four-parcel test file padded with spaces to `size` bytes."""
    text = (DATA / "small.geojson").read_bytes()
    return text + b" " * (size - len(text))


@pytest.fixture
def upload_app(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", UPLOAD_MAX_MB=2)
    add_staff(app)
    return app


def test_body_limit_upload_below_upload_max_mb_works(upload_app):
    response = upload(client_as(upload_app, "editor"), padded_geojson(1536 * KB))
    assert response.status_code == 302 and "/imports/" in response.headers["Location"]


def test_body_limit_upload_above_upload_max_mb_is_413(upload_app):
    response = upload(client_as(upload_app, "editor"), padded_geojson(3 * 1024 * KB))
    assert response.status_code == 413


def test_body_limit_form_max_kb_is_configurable(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", FORM_MAX_KB=1)
    client = app.test_client()
    response = client.post("/auth/login", data=login_data(client, "p" * (2 * KB)))
    assert response.status_code == 413


@pytest.mark.parametrize("value", [0, -1])
def test_body_limit_form_max_kb_below_one_is_refused(tmp_path, value):
    from webapp.domain.errors import ConfigError

    with pytest.raises(ConfigError, match="FORM_MAX_KB"):
        make_app(tmp_path, DATA / "small.geojson", FORM_MAX_KB=value)


def test_body_limit_chunked_login_below_the_limit_is_read(staff_app):
    client = staff_app.test_client()
    form = f"csrf_token={csrf_token(client)}&name=eddie&password=correct+horse+battery".encode()
    response = client.post("/auth/login", input_stream=ChunkedBody(len(form), form),
                           environ_overrides=CHUNKED,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302  # logged in: the whole chunked body was read
