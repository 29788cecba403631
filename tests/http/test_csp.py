"""Content-Security-Policy on every route: no 'unsafe-inline' scripts, nonces on inline scripts."""

import re

import pytest
from flask import url_for

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, csrf_token
from tests.http.pages import NONCE, inline_scripts

# Sample values of every URL argument of the app's GET routes.
ARGUMENTS = {"key": "T-001", "file_format": "csv", "parcel_id": 1, "change_id": 1, "user_id": 1,
             "feature_id": 1, "z": 14, "y": 6669, "x": 13585, "token": "no-such-upload",
             "filename": "landgis/site.css", "collection_id": "roads", "context_feature_id": 1,
             "name": "roads", "enquiry_id": 1, "project_id": 1, "problem_id": 1,
             "code": "T-001", "attachment_id": 1, "profile_id": 1}
HTML_VARIANTS = ("api.",)  # endpoints also fetched with f=html
EXTRA_PATHS = ["/nope", "/parcels/NOPE", "/?land_use=9999", "/?area_min=abc",
               "/api/collections/parcels/items?f=html&limit=abc", "/?lang=en",
               "/export/parcels.nope", "/admin/parcels?q=%3C/script%3E"]


@pytest.fixture(scope="module")
def csp_app(tmp_path_factory):
    """The four-parcel app with staff accounts and one recorded change (for the restore page)."""
    app = make_app(tmp_path_factory.mktemp("csp"), DATA / "small.geojson")
    add_staff(app)
    editor = client_as(app, "editor")
    url = "/api/collections/parcels/items/1"
    response = editor.patch(url, json={"note": "changed"}, headers={
        "If-Match": editor.get(url).headers["ETag"],
        "X-CSRFToken": csrf_token(editor, "/admin/parcels")})
    assert response.status_code == 200
    return app


def get_paths(app) -> list[str]:
    """One URL for every GET route of the app (and the HTML form of every API route)."""
    paths = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            url = url_for(rule.endpoint, **{name: ARGUMENTS[name] for name in rule.arguments})
            paths.append(url)
            if rule.endpoint.startswith(HTML_VARIANTS):
                paths.append(url + ("&" if "?" in url else "?") + "f=html")
    return sorted(paths) + EXTRA_PATHS


def script_src(policy: str) -> str:
    """The script-src directive of a CSP header."""
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["script-src"]


def test_every_get_route_has_a_sample_argument(csp_app):
    missing = {name for rule in csp_app.url_map.iter_rules() for name in rule.arguments
               if "GET" in rule.methods and name not in ARGUMENTS}
    assert missing == set()


@pytest.mark.parametrize("role", [None, "viewer", "admin"], ids=["anonymous", "viewer", "admin"])
def test_every_response_has_csp_without_unsafe_inline_scripts(csp_app, role):
    client = client_as(csp_app, role)
    checked = {}
    for path in get_paths(csp_app):
        response = client.get(path)
        checked[path] = response.status_code
        policy = response.headers.get("Content-Security-Policy", "")
        assert "'unsafe-inline'" not in script_src(policy), path
        assert "'unsafe-eval'" not in script_src(policy), path
        assert "frame-ancestors 'none'" in policy, path
        assert_inline_scripts_carry_nonce(response, path)
    assert 500 not in checked.values(), checked


def assert_inline_scripts_carry_nonce(response, path: str) -> None:
    """Every inline <script> of an HTML response carries the nonce its CSP header allows."""
    if response.mimetype != "text/html":
        return
    scripts = inline_scripts(response.get_data(as_text=True))
    if not scripts:
        return
    policy = response.headers["Content-Security-Policy"]
    allowed = re.findall(r"'nonce-([^']+)'", script_src(policy))
    assert len(allowed) == 1, path
    carried = [NONCE.search(attributes) for attributes, _body in scripts]
    assert [match.group(1) if match else None for match in carried] == allowed * len(scripts), path


@pytest.mark.parametrize("path", ["/", "/parcels/T-001"])
def test_map_pages_run_their_inline_script_by_nonce(csp_app, path):
    response = csp_app.test_client().get(path)
    scripts = inline_scripts(response.get_data(as_text=True))
    assert len(scripts) == 1 and "L.map(" in scripts[0][1]
    assert_inline_scripts_carry_nonce(response, path)


def test_nonce_differs_between_requests(csp_app):
    client = csp_app.test_client()
    nonces = {script_src(client.get("/").headers["Content-Security-Policy"]) for _ in range(3)}
    assert len(nonces) == 3


def test_page_without_inline_script_allows_no_nonce(csp_app):
    policy = csp_app.test_client().get("/auth/login").headers["Content-Security-Policy"]
    assert script_src(policy) == "'self'"


@pytest.mark.parametrize("path", ["/", "/parcels/T-001", "/admin/parcels/1/edit", "/admin/users",
                                  "/imports/", "/auth/login", "/api?f=html"])
def test_pages_have_no_inline_event_handlers(csp_app, path):
    html = client_as(csp_app, "admin").get(path).get_data(as_text=True)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I)
    assert "javascript:" not in html
