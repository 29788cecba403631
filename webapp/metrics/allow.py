"""Who may read /metrics: the METRICS_ALLOW setting parsed into IP networks, and the test of a
client address (the one ProxyFix leaves when proxies are trusted) against them."""

import ipaddress
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_allow_list(text: str) -> tuple[Network, ...]:
    """Addresses and networks separated by commas ("127.0.0.1, ::1, 10.0.0.0/8"); ValueError
    naming the first entry that is neither. An empty text allows no one."""
    networks = []
    for entry in (part.strip() for part in str(text).split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"“{entry}” is not an IP address or network") from None
    return tuple(networks)


def address_allowed(address: str | None, networks: Sequence[Network]) -> bool:
    """Whether a client address lies in one of the networks (an IPv4-mapped IPv6 address
    counts as its IPv4 address); False for anything that is not an address."""
    try:
        ip = ipaddress.ip_address((address or "").strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == network.version and ip in network for network in networks)
