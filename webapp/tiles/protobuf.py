"""Protobuf wire-format pieces the MVT writers share: varints and length-delimited fields."""

import numpy as np

SMALL_ARRAY = 24  # below this many values a plain loop beats numpy's per-call overhead


def varint_bytes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative integers as protobuf varints: (all bytes as uint8, byte count of each)."""
    v = np.asarray(values, dtype=np.uint64)
    if len(v) < SMALL_ARRAY:
        encoded = [varint(int(value)) for value in v.tolist()]
        return (np.frombuffer(b"".join(encoded), dtype=np.uint8),
                np.array([len(e) for e in encoded], dtype=np.int64))
    counts = np.ones(len(v), dtype=np.int64)
    rest = v >> np.uint64(7)
    while rest.any():  # one more byte for every value still above 7 more bits
        counts += rest > 0
        rest >>= np.uint64(7)
    out = np.empty(int(counts.sum()), dtype=np.uint8)
    starts = np.cumsum(counts) - counts
    for k in range(int(counts.max(initial=0))):
        sel = counts > k
        part = (v[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (counts[sel] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[sel] + k] = (part | more).astype(np.uint8)
    return out, counts


def _computed_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


TABLE_SIZE = 1 << 14  # every value of one or two varint bytes, looked up rather than computed
_TABLE = [_computed_varint(value) for value in range(TABLE_SIZE)]


def varint(value: int) -> bytes:
    """One non-negative integer as a protobuf varint."""
    return _TABLE[value] if value < TABLE_SIZE else _computed_varint(value)


def varints(values: list[int]) -> bytes:
    """Non-negative integers as consecutive protobuf varints."""
    table = _TABLE
    return b"".join([table[v] if v < TABLE_SIZE else _computed_varint(v) for v in values])


def message(tag: int, payload: bytes) -> bytes:
    """A length-delimited field (tag below 128): its tag byte, payload length and payload."""
    return _TABLE[tag] + varint(len(payload)) + payload
