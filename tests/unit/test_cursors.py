"""The `cursor` of parcel item pages: opaque, URL-safe, read back exactly, anything else refused."""

import pytest

from webapp.api.cursors import PageCursor, decode_cursor
from webapp.domain.errors import InvalidParameterError


@pytest.mark.parametrize("cursor", [PageCursor("T-001", 1), PageCursor("G(2024)043", 500_000),
                                    PageCursor("宗地/0?&=#", 0), PageCursor("x" * 200, 10**9)])
def test_cursor_round_trips(cursor):
    assert decode_cursor(cursor.encode(), 10**9) == cursor


def test_cursor_token_is_url_safe():
    token = PageCursor("宗地/0?&=# +", 3).encode()
    assert token.replace("-", "").replace("_", "").isalnum()


def test_cursor_past_the_largest_position_is_refused():
    with pytest.raises(InvalidParameterError, match="cursor"):
        decode_cursor(PageCursor("T-001", 11).encode(), 10)
