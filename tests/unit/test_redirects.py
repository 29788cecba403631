"""After login only paths on this site are followed; anything else goes to the default."""

import pytest

from webapp.auth.redirects import safe_next

DEFAULT = "/admin/parcels"


@pytest.mark.parametrize("target", ["/admin/parcels/3/edit", "/parcels/T-001?lang=en", "/"])
def test_safe_next_keeps_local_path(target):
    assert safe_next(target, DEFAULT) == target


@pytest.mark.parametrize("target", [
    None, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "http:/evil.example", "/\t/evil.example", "/ok\r\nSet-Cookie: x=1",
    "admin/parcels", "///evil.example"])
def test_safe_next_refuses_other_hosts_and_tricks(target):
    assert safe_next(target, DEFAULT) == DEFAULT
