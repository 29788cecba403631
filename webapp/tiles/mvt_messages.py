"""The protobuf messages of an MVT tile, compiled to machine code (numba): varints, the values
table of a layer with each feature's tags, the feature messages and the layer around them.

Like mvt_commands (see there why), its functions compile on first use, are cached on disk, release
the GIL and call only functions of this module. The layer is written as the MVT 2.1 schema
numbers its fields: tile.layers (3) holding version (15), name (1), features (2), keys (3),
values (4) and extent (5); a feature holds id (1), tags (2), type (3: 1 point, 2 linestring,
3 polygon) and geometry (4, packed varints)."""

import numba
import numpy as np

MAX_VARINT_BYTES = 10  # a 64-bit value written as a protobuf varint takes at most this many
LAYERS_TAG, VERSION_2, NAME_TAG = 0x1A, (0x78, 0x02), 0x0A  # tile field 3; layer fields 15, 1
FEATURE_TAG, KEY_TAG, VALUE_TAG, EXTENT_TAG = 0x12, 0x1A, 0x22, 0x28  # layer fields 2, 3, 4, 5
ID_TAG, TAGS_TAG, TYPE_TAG, GEOMETRY_TAG = 0x08, 0x12, 0x18, 0x22  # feature fields 1-4
STRING_TAG, DOUBLE_TAG, INT_TAG = 0x0A, 0x19, 0x20  # value fields 1 (string), 3, 4 (int64)
NUMBER_INT, NUMBER_DOUBLE, TEXT = 0, 1, 2  # the kinds of attribute columns values_table takes
MIN_SLOTS = 8  # hash slots of the smallest text table

compiled = numba.njit(cache=True, nogil=True)


@compiled
def _put_varint(out, pos, value):
    """Write one unsigned value as a protobuf varint at pos; returns the position after it."""
    value = np.uint64(value)
    while value >= 0x80:
        out[pos] = np.uint8((value & np.uint64(0x7F)) | np.uint64(0x80))
        value = value >> np.uint64(7)
        pos += 1
    out[pos] = np.uint8(value)
    return pos + 1


@compiled
def _varint_size(value):
    value = np.uint64(value)
    size = 1
    while value >= 0x80:
        value = value >> np.uint64(7)
        size += 1
    return size


@compiled
def _put_bytes(out, pos, data, start, end):
    """Copy data[start:end] to pos; returns the position after it."""
    n = end - start
    out[pos:pos + n] = data[start:end]
    return pos + n


@compiled
def values_table(kinds, ints, doubles, text_data, text_lengths, features):
    """The values table (layer field 4) of a layer's given features and their tags.

    kinds: each attribute column's kind; the c-th column of a kind is ints[c] (int_value,
    written as uint64), doubles[c] (double_value, NaN: missing), both indexed by feature, or
    text_lengths[c]: the UTF-8 byte count (-1: missing) of each given feature's text, all texts
    laid end to end in text_data column after column. Numbers are listed ascending,
    texts in order of first use, each distinct value once per column. Returns (the value
    messages, tags: per given feature, key index and value index of each column, -1: none)."""
    count, columns = len(features), len(kinds)
    tags = np.empty((count, 2 * columns), np.int64)
    size = len(text_data) + count * columns * (3 + 2 * MAX_VARINT_BYTES)
    out = np.empty(size, np.uint8)
    pos, listed, text_start = 0, 0, 0
    used = np.zeros(3, np.int64)  # columns of each kind seen so far
    for c in range(columns):
        kind = kinds[c]
        k = used[kind]
        used[kind] += 1
        if kind == TEXT:
            lengths = text_lengths[k]
            pos, codes, distinct = _text_messages(text_data, text_start, lengths, out, pos)
            for i in range(count):
                text_start += max(lengths[i], 0)
        elif kind == NUMBER_DOUBLE:
            picked_doubles = np.empty(count, np.float64)
            for i in range(count):
                picked_doubles[i] = doubles[k, features[i]]
            pos, codes, distinct = _number_messages(picked_doubles, True, out, pos)
        else:
            picked_ints = np.empty(count, np.int64)
            for i in range(count):
                picked_ints[i] = ints[k, features[i]]
            pos, codes, distinct = _number_messages(picked_ints, False, out, pos)
        for i in range(count):
            tags[i, 2 * c] = c
            tags[i, 2 * c + 1] = codes[i] + listed if codes[i] >= 0 else -1
        listed += distinct
    return out[:pos], tags


@compiled
def _number_messages(picked, doubles, out, pos):
    """Write the value messages of the distinct numbers (NaN: missing) ascending at pos; returns
    (the position after them, each number's index among them or -1, how many)."""
    ordered = np.sort(picked[picked == picked])  # NaN is not equal to itself
    distinct = np.empty_like(ordered)
    n = 0
    for value in ordered:
        if n == 0 or value != distinct[n - 1]:
            distinct[n] = value
            n += 1
    distinct = distinct[:n]
    codes = np.full(len(picked), -1, np.int64)
    for k in range(len(picked)):
        if picked[k] == picked[k]:
            codes[k] = np.searchsorted(distinct, picked[k])
    if doubles:
        raw = distinct.astype(np.float64).view(np.uint8)
        for i in range(n):
            out[pos], out[pos + 1], out[pos + 2] = VALUE_TAG, 9, DOUBLE_TAG  # 1 tag + 8 bytes
            out[pos + 3:pos + 11] = raw[8 * i:8 * i + 8]
            pos += 11
    else:
        for i in range(n):
            value = np.uint64(np.int64(distinct[i]))
            out[pos], out[pos + 1], out[pos + 2] = VALUE_TAG, 1 + _varint_size(value), INT_TAG
            pos = _put_varint(out, pos + 3, value)
    return pos, codes, n


@compiled
def _fnv1a(data, start, end):
    """A 64-bit FNV-1a hash of data[start:end]."""
    value = np.uint64(0xCBF29CE484222325)
    for i in range(start, end):
        value = (value ^ np.uint64(data[i])) * np.uint64(0x100000001B3)
    return value


@compiled
def _same_bytes(data, a, b, n):
    """Whether the n bytes of data at a and at b are equal."""
    i = 0
    while i < n and data[a + i] == data[b + i]:
        i += 1
    return i == n


@compiled
def _text_messages(data, first, lengths, out, pos):
    """Write the value messages (string_value) of the distinct texts, in order of first use, at
    pos; the texts lie end to end in data from `first` (lengths: byte counts, -1: missing).
    Returns (the position after them, each text's index among them or -1, how many).
    Equal texts are found through an open-addressing hash table of their first uses."""
    count = len(lengths)
    slots = MIN_SLOTS
    while slots < 2 * count:
        slots *= 2
    mask = np.uint64(slots - 1)
    first_use = np.full(slots, -1, np.int64)  # the text that took each slot
    starts = np.zeros(count, np.int64)
    hashes = np.zeros(count, np.uint64)
    codes = np.full(count, -1, np.int64)
    distinct, at = 0, first
    for k in range(count):
        n = lengths[k]
        starts[k] = at
        if n < 0:
            continue
        at += n
        hashes[k] = _fnv1a(data, starts[k], at)
        slot = hashes[k] & mask
        while first_use[slot] >= 0:
            other = first_use[slot]
            if (hashes[other] == hashes[k] and lengths[other] == n
                    and _same_bytes(data, starts[other], starts[k], n)):
                codes[k] = codes[other]
                break
            slot = (slot + np.uint64(1)) & mask
        if codes[k] >= 0:
            continue
        first_use[slot] = k
        codes[k] = distinct
        distinct += 1
        out[pos] = VALUE_TAG
        pos = _put_varint(out, pos + 1, 1 + _varint_size(n) + n)
        out[pos] = STRING_TAG
        pos = _put_varint(out, pos + 1, n)
        pos = _put_bytes(out, pos, data, starts[k], at)
    return pos, codes, distinct


@compiled
def _feature_sizes(features, ids, tags, commands, command_start, command_end):
    """(geometry bytes, tags bytes, message body bytes) of each given feature."""
    count = len(features)
    geometry = np.zeros(count, np.int64)
    tag_bytes = np.zeros(count, np.int64)
    body = np.zeros(count, np.int64)
    for k in range(count):
        f = features[k]
        for i in range(command_start[f], command_end[f]):
            geometry[k] += _varint_size(commands[i])
        for c in range(0, tags.shape[1], 2):
            if tags[k, c + 1] >= 0:
                tag_bytes[k] += _varint_size(tags[k, c]) + _varint_size(tags[k, c + 1])
        body[k] = (1 + _varint_size(ids[f]) + 1 + _varint_size(tag_bytes[k]) + tag_bytes[k]
                   + 2 + 1 + _varint_size(geometry[k]) + geometry[k])
    return geometry, tag_bytes, body


@compiled
def _put_feature(out, pos, k, f, ids, geometry_type, tags, commands, command_start, command_end,
                 geometry, tag_bytes, body):
    """Write the k-th given feature's message (feature f of ids and commands) at pos."""
    out[pos] = FEATURE_TAG
    pos = _put_varint(out, pos + 1, body)
    out[pos] = ID_TAG
    pos = _put_varint(out, pos + 1, ids[f])
    out[pos] = TAGS_TAG
    pos = _put_varint(out, pos + 1, tag_bytes)
    for c in range(0, tags.shape[1], 2):
        if tags[k, c + 1] >= 0:
            pos = _put_varint(out, pos, tags[k, c])
            pos = _put_varint(out, pos, tags[k, c + 1])
    out[pos], out[pos + 1], out[pos + 2] = TYPE_TAG, geometry_type, GEOMETRY_TAG
    pos = _put_varint(out, pos + 3, geometry)
    for i in range(command_start[f], command_end[f]):
        pos = _put_varint(out, pos, commands[i])
    return pos


@compiled
def layer_message(name, keys, key_ends, values, extent, features, ids, types, tags, commands,
                  command_start, command_end):
    """One MVT tile holding one layer of features.

    name: the layer name in UTF-8; keys: the attribute names in UTF-8 end to end (the j-th ends
    at key_ends[j]); values: the values table (as values_table writes it); features: the
    features to write, in order (indexes of ids and of command_start/command_end, their span
    of `commands`, the geometry commands); tags: as values_table returns them, one row per
    given feature; types: the geometry type of each feature (1 point, 2 linestring, 3 polygon),
    indexed as ids. Returns the tile's bytes."""
    geometry, tag_bytes, body = _feature_sizes(features, ids, tags, commands, command_start,
                                               command_end)
    size = 2 + 1 + _varint_size(len(name)) + len(name) + len(values) + 1 + _varint_size(extent)
    for k in range(len(features)):
        size += 1 + _varint_size(body[k]) + body[k]
    key_start = 0
    for j in range(len(key_ends)):
        size += 1 + _varint_size(key_ends[j] - key_start) + key_ends[j] - key_start
        key_start = key_ends[j]
    out = np.empty(1 + _varint_size(size) + size, np.uint8)
    out[0] = LAYERS_TAG
    pos = _put_varint(out, 1, size)
    out[pos], out[pos + 1], out[pos + 2] = VERSION_2[0], VERSION_2[1], NAME_TAG
    pos = _put_varint(out, pos + 3, len(name))
    pos = _put_bytes(out, pos, name, 0, len(name))
    for k in range(len(features)):
        f = features[k]
        pos = _put_feature(out, pos, k, f, ids, types[f], tags, commands, command_start,
                           command_end, geometry[k], tag_bytes[k], body[k])
    key_start = 0
    for j in range(len(key_ends)):
        out[pos] = KEY_TAG
        pos = _put_varint(out, pos + 1, key_ends[j] - key_start)
        pos = _put_bytes(out, pos, keys, key_start, key_ends[j])
        key_start = key_ends[j]
    pos = _put_bytes(out, pos, values, 0, len(values))
    out[pos] = EXTENT_TAG
    _put_varint(out, pos + 1, extent)
    return out
