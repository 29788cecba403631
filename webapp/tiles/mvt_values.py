"""An MVT layer's values table and each feature's tags, from attribute columns.

Values are deduplicated per column: numbers sorted, other values written as text (the str() of
those that are not), deduplicated by that text, in order of first use; None and NaN leave the
attribute out of a feature. One compiled call (mvt_messages.values_table) builds the table for
a layer of any size; this module hands it the columns: integers, floats, and texts as UTF-8 laid
end to end.
"""

import numpy as np

from webapp.tiles import compiled_messages


def layer_values(properties: dict[str, np.ndarray], features: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(the value messages of the given features' attributes, their tags: one row per feature,
    key index and value index per column, value index -1 where the attribute is missing)."""
    messages = compiled_messages()
    features = np.asarray(features, dtype=np.int64)
    kinds, ints, doubles, texts, lengths = [], [], [], [], []
    rows = 0
    for column in map(np.asarray, properties.values()):
        rows = len(column)
        kind = column.dtype.kind
        if kind in "iu":  # unsigned ones below 2^63, as ids and counts are
            kinds.append(messages.NUMBER_INT)
            ints.append(column)
        elif kind == "f":
            kinds.append(messages.NUMBER_DOUBLE)
            doubles.append(column)
        else:
            kinds.append(messages.TEXT)
            data, byte_counts = texts_utf8(column[features].tolist())
            texts.append(data)
            lengths.append(byte_counts)
    return messages.values_table(
        np.array(kinds, np.int64), np.array(ints, np.int64).reshape(len(ints), rows),
        np.array(doubles, np.float64).reshape(len(doubles), rows),
        np.frombuffer(b"".join(texts), np.uint8),
        np.array(lengths, np.int64).reshape(len(texts), len(features)), features)


def texts_utf8(values: list) -> tuple[bytes, np.ndarray]:
    """Values of a text column as UTF-8 end to end, and the byte count of each (-1: missing, as
    None and NaN are); values that are not text are written as their str()."""
    encoded: list[bytes | None]
    if set(map(type, values)) <= {str}:  # the usual column: one join and one encode
        joined = "".join(values)
        if joined.isascii():
            return joined.encode("ascii"), np.fromiter(map(len, values), np.int64, len(values))
        encoded = list(map(str.encode, values))
    else:
        encoded = list(map(_text_bytes, values))
    lengths = np.fromiter((-1 if b is None else len(b) for b in encoded), np.int64,
                          len(encoded))
    return b"".join(filter(None, encoded)), lengths


def _text_bytes(value) -> bytes | None:
    """A value of a text column as UTF-8 (None: missing, as None and NaN are)."""
    if value is None or value != value:  # NaN is not equal to itself
        return None
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode()

