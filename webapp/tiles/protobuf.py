"""Protobuf wire-format pieces the MVT writers share: varints and length-delimited fields."""

import numpy as np

SMALL_ARRAY = 24  # below this many values a plain loop beats numpy's per-call overhead
WIDE_ARRAY = 2048  # up to this many values one value-by-byte table is the fastest


# The smallest value of each varint length past one byte: 2^7, 2^14, ... 2^63.
_LENGTH_STARTS = np.array([1 << (7 * k) for k in range(1, 10)], dtype=np.uint64)


def varint_sizes(values: np.ndarray) -> np.ndarray:
    """The byte count of each non-negative integer written as a protobuf varint."""
    v = np.asarray(values, dtype=np.uint64)
    return np.searchsorted(_LENGTH_STARTS, v, side="right").astype(np.int64) + 1


def varint_bytes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative integers as protobuf varints: (all bytes as uint8, byte count of each)."""
    v = np.asarray(values, dtype=np.uint64)
    if len(v) < SMALL_ARRAY:
        encoded = [varint(int(value)) for value in v.tolist()]
        return (np.frombuffer(b"".join(encoded), dtype=np.uint8),
                np.array([len(e) for e in encoded], dtype=np.int64))
    counts = varint_sizes(v)
    if len(v) <= WIDE_ARRAY:
        return _varint_table(v, counts), counts
    starts = np.cumsum(counts) - counts
    out = np.empty(int(starts[-1] + counts[-1]), dtype=np.uint8)
    rows = np.arange(len(v))
    for k in range(int(counts.max())):  # byte k of every value that has one
        if k:
            rows = rows[counts[rows] > k]
        part = (v[rows] >> np.uint64(7 * k)) & np.uint64(0x7F)
        out[starts[rows] + k] = part.astype(np.uint8) | ((counts[rows] > k + 1) << 7).astype(
            np.uint8)
    return out, counts


def _varint_table(v: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """varint_bytes as one value-by-byte table: fewer numpy calls, more memory per value."""
    position = np.arange(int(counts.max()), dtype=np.uint64)
    groups = (v[:, None] >> (position * np.uint64(7))) & np.uint64(0x7F)  # 7 bits a byte
    more = position[None, :] + np.uint64(1) < counts[:, None].astype(np.uint64)
    groups |= more.astype(np.uint64) << np.uint64(7)  # the high bit: another byte follows
    used = position[None, :] < counts[:, None].astype(np.uint64)
    return groups[used].astype(np.uint8)


def _computed_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


TABLE_SIZE = 1 << 14  # every value of one or two varint bytes, looked up rather than computed
_TABLE = [_computed_varint(value) for value in range(TABLE_SIZE)]
THREE_BYTES_END = 1 << 21


def varint(value: int) -> bytes:
    """One non-negative integer as a protobuf varint."""
    if value < TABLE_SIZE:
        return _TABLE[value]
    if value < THREE_BYTES_END:  # parcel ids of large districts: written out, not looped
        return bytes(((value & 0x7F) | 0x80, ((value >> 7) & 0x7F) | 0x80, value >> 14))
    return _computed_varint(value)


def message(tag: int, payload: bytes) -> bytes:
    """A length-delimited field (tag below 128): its tag byte, payload length and payload."""
    return _TABLE[tag] + varint(len(payload)) + payload
