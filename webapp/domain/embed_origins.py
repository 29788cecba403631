"""The sites that may show the embeddable map in an <iframe> (EMBED_ALLOWED_ORIGINS), parsed
into CSP `frame-ancestors` sources."""

import re

# scheme://host[:port], the host optionally “*.” plus a domain (CSP host-source); no path.
_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?")


def parse_embed_origins(text: str) -> tuple[str, ...]:
    """The origins of a comma- or space-separated list (empty text: none), lower-cased with no
    trailing slash; ValueError names the first entry that is no http(s) origin."""
    origins = []
    for entry in re.split(r"[\s,]+", text.strip()):
        if not entry:
            continue
        origin = entry.rstrip("/").lower() if entry.count("/") == 3 else entry.lower()
        if not _ORIGIN.fullmatch(origin):
            raise ValueError(f"“{entry}” is not a site origin such as "
                             "“https://www.huashan.gov.cn” (scheme and host, no path)")
        origins.append(origin)
    return tuple(dict.fromkeys(origins))


def frame_ancestors(origins: tuple[str, ...]) -> str:
    """The CSP frame-ancestors sources for these origins ('none' when there are none)."""
    return " ".join(origins) if origins else "'none'"
