"""EMBED_ALLOWED_ORIGINS parsed into CSP frame-ancestors sources."""

import pytest

from webapp.domain.embed_origins import frame_ancestors, parse_embed_origins


@pytest.mark.parametrize(("text", "origins"), [
    ("", ()),
    ("  ", ()),
    ("https://www.huashan.gov.cn", ("https://www.huashan.gov.cn",)),
    ("https://WWW.Huashan.gov.cn/", ("https://www.huashan.gov.cn",)),
    ("https://a.cn, http://127.0.0.1:8001 https://*.mas.gov.cn",
     ("https://a.cn", "http://127.0.0.1:8001", "https://*.mas.gov.cn")),
    ("https://a.cn,https://a.cn", ("https://a.cn",)),
])
def test_embed_origins_parse(text, origins):
    assert parse_embed_origins(text) == origins


@pytest.mark.parametrize("text", ["https://a.cn/embed", "'self'", "a.cn", "https://a.cn;",
                                  "https://a.cn'", "data:", "https://", "https://a.cn:port"])
def test_embed_origins_refuse_what_is_no_origin(text):
    with pytest.raises(ValueError, match="is not a site origin"):
        parse_embed_origins(text)


def test_frame_ancestors_of_no_origin_is_none():
    assert frame_ancestors(()) == "'none'"
    assert frame_ancestors(("https://a.cn", "https://b.cn")) == "https://a.cn https://b.cn"
