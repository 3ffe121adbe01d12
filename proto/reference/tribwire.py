#!/usr/bin/env python3
"""Reference codec for the Tributary wire protocol, version 1.

Written from ``proto/PROTOCOL.md`` alone (standard library only), so that the
Swift implementation and this one can check each other through the golden
vectors in ``proto/vectors/``.

* Encoders build bytes from values and do **not** validate them (so that the
  vector generator can also build invalid frames); only fixed widths are
  enforced, by ``struct``.
* Decoders enforce every rule and limit of the spec and raise
  :class:`WireError` with one of the :data:`KINDS`.

Command line::

    python3 tribwire.py check DIR    # verify DIR/*.hex and DIR/invalid/*.hex
"""
from __future__ import annotations

import argparse
import re
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MAGIC = b"TRIB"
VERSION = 1
HEADER_SIZE = 16
FLAG_COMPRESSED = 0x0001
CAP_DEFLATE = 0x0000_0001
CAP_REPORT = 0x0000_0002
MIB = 1 << 20

KINDS = frozenset({
    "bad-magic", "unsupported-version", "unknown-frame-type", "unknown-flags",
    "frame-too-large", "checksum-mismatch", "truncated", "trailing-bytes",
    "varint-overflow", "non-minimal-varint", "invalid-utf8", "limit-exceeded",
    "invalid-value", "inflate-failure",
})


class WireError(Exception):
    """A decoding error. ``kind`` is one of :data:`KINDS`."""

    def __init__(self, kind: str, message: str):
        assert kind in KINDS, kind
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


# --------------------------------------------------------------------------
# CRC-32C (Castagnoli), table-driven, reflected polynomial 0x82F63B78.

def _crc_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = ((c >> 1) ^ 0x82F63B78) if c & 1 else (c >> 1)
        table.append(c)
    return table


_CRC_TABLE = _crc_table()


def crc32c(data: bytes) -> int:
    """CRC-32C of ``data``: init 0xFFFFFFFF, final XOR 0xFFFFFFFF."""
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


# --------------------------------------------------------------------------
# Limits (section 7). Defaults are Tributary's; a client should use
# Limits.from_welcome() for the ones the server announced.

@dataclass(frozen=True)
class Limits:
    max_frame_bytes: int = 8 * MIB
    max_batch_records: int = 100_000
    max_batch_raw_bytes: int = 64 * MIB
    window: int = 0xFFFF           # ACK selective count; 65535 until WELCOME
    strings: int = 1_000_000
    labelsets: int = 100_000
    labels_per_set: int = 64
    label_name: int = 128
    table_string: int = 4096
    message: int = 1 * MIB
    fields: int = 128
    field_value: int = 65_536
    ident: int = 128                # agent id, node id, software
    token: int = 1024
    reason: int = 1024
    host: int = 255
    versions: int = 16
    alternatives: int = 16
    address: int = 255

    @classmethod
    def from_welcome(cls, w: "Welcome") -> "Limits":
        return cls(max_frame_bytes=w.max_frame_bytes, max_batch_records=w.max_batch_records,
                   max_batch_raw_bytes=w.max_batch_raw_bytes, window=w.window)


DEFAULT_LIMITS = Limits()


# --------------------------------------------------------------------------
# Primitive encodings (section 2).

class Writer:
    """Appends encoded fields to ``buf``. Each field written with a ``name``
    is also recorded in ``spans`` as ``(start, end, description)``; the
    vector generator uses the spans to annotate hex dumps."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.spans: list[tuple[int, int, str]] = []

    def raw(self, data: bytes, name: str | None = None, note: str = "") -> "Writer":
        start = len(self.buf)
        self.buf += data
        if name is not None:
            self.spans.append((start, len(self.buf), f"{name}{note}"))
        return self

    def embed(self, other: "Writer", prefix: str = "") -> "Writer":
        """Append another writer's bytes, keeping its spans (names prefixed)."""
        base = len(self.buf)
        self.buf += other.buf
        self.spans += [(base + s, base + e, prefix + d) for s, e, d in other.spans]
        return self

    def u8(self, v, name=None):
        return self.raw(struct.pack(">B", v), name, f" = {v}")

    def u16(self, v, name=None):
        return self.raw(struct.pack(">H", v), name, f" = {v}")

    def u32(self, v, name=None):
        return self.raw(struct.pack(">I", v), name, f" = {v}")

    def u64(self, v, name=None):
        return self.raw(struct.pack(">Q", v), name, f" = {v}")

    def f64(self, v, name=None):
        return self.raw(struct.pack(">d", v), name, f" = {v!r}")

    def varint(self, v: int, name=None):
        if not 0 <= v < 1 << 64:
            raise ValueError(f"varint out of range: {v}")
        out, rest = bytearray(), v
        while rest >= 0x80:
            out.append((rest & 0x7F) | 0x80)
            rest >>= 7
        out.append(rest)
        return self.raw(bytes(out), name, f" = {v}")

    def svarint(self, v: int, name=None):
        if not -(1 << 63) <= v < 1 << 63:
            raise ValueError(f"svarint out of range: {v}")
        self.varint(((v << 1) ^ (v >> 63)) & 0xFFFF_FFFF_FFFF_FFFF, name)
        if name is not None:  # show the signed value, not the zigzag one
            s, e, _ = self.spans[-1]
            self.spans[-1] = (s, e, f"{name} = {v}")
        return self

    def bytes_(self, v: bytes, name=None):
        self.varint(len(v), None if name is None else f"{name}.len")
        return self.raw(bytes(v), name, f' = b"{repr(bytes(v))[2:-1]}"')

    def string(self, v: str, name=None):
        data = v.encode("utf-8")
        self.varint(len(data), None if name is None else f"{name}.len")
        return self.raw(data, name, f' = "{v}"')


class Reader:
    """Reads fields from ``data[pos:end]``; ``where`` prefixes error messages."""

    def __init__(self, data: bytes, where: str):
        self.data, self.pos, self.end, self.where = data, 0, len(data), where

    def remaining(self) -> int:
        return self.end - self.pos

    def _take(self, n: int, name: str) -> bytes:
        if n > self.remaining():
            raise WireError("truncated", f"{self.where}.{name}: needs {n} bytes, "
                                         f"{self.remaining()} remain")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return bytes(out)

    def u8(self, name):
        return self._take(1, name)[0]

    def u16(self, name):
        return struct.unpack(">H", self._take(2, name))[0]

    def u32(self, name):
        return struct.unpack(">I", self._take(4, name))[0]

    def u64(self, name):
        return struct.unpack(">Q", self._take(8, name))[0]

    def f64(self, name):
        return struct.unpack(">d", self._take(8, name))[0]

    def varint(self, name: str) -> int:
        """Unsigned LEB128: at most 10 bytes, 10th byte 0x01, minimal."""
        value = 0
        for i in range(10):
            b = self._take(1, name)[0]
            if i == 9 and b > 0x01:
                raise WireError("varint-overflow", f"{self.where}.{name}: 10th varint byte "
                                                   f"is 0x{b:02x}, must be 0x01")
            value |= (b & 0x7F) << (7 * i)
            if b < 0x80:
                if b == 0 and i > 0:
                    raise WireError("non-minimal-varint", f"{self.where}.{name}: {i + 1}-byte "
                                                          f"varint ends in 0x00 (value {value})")
                return value
        raise AssertionError("unreachable")

    def svarint(self, name: str) -> int:
        z = self.varint(name)
        return (z >> 1) ^ -(z & 1)

    def count(self, name: str, limit: int, item: int = 1, minimum: int = 0,
              value: int | None = None) -> int:
        """A count (varint unless ``value`` is given): at least ``minimum``, at
        most ``limit``, and ``count * item`` (``item`` is the smallest encoded
        size of one item) never more than the bytes that remain."""
        n = self.varint(name) if value is None else value
        if n > limit:
            raise WireError("limit-exceeded", f"{self.where}.{name}: count {n} exceeds limit {limit}")
        if n * item > self.remaining():
            raise WireError("limit-exceeded", f"{self.where}.{name}: {n} items of at least {item} "
                                              f"bytes exceed the {self.remaining()} bytes that remain")
        if n < minimum:
            raise WireError("invalid-value", f"{self.where}.{name}: count {n} is below {minimum}")
        return n

    def _length(self, name: str, limit: int, minimum: int) -> int:
        n = self.varint(name + ".len")
        if n > limit:
            raise WireError("limit-exceeded", f"{self.where}.{name}: length {n} exceeds limit {limit}")
        if n > self.remaining():
            raise WireError("truncated", f"{self.where}.{name}: length {n} exceeds the "
                                         f"{self.remaining()} bytes that remain")
        if n < minimum:
            raise WireError("invalid-value", f"{self.where}.{name}: length {n} is below {minimum}")
        return n

    def bytes_(self, name: str, limit: int, minimum: int = 0) -> bytes:
        return self._take(self._length(name, limit, minimum), name)

    def string(self, name: str, limit: int, minimum: int = 0) -> str:
        data = self.bytes_(name, limit, minimum)
        try:
            return data.decode("utf-8")  # strict: rejects overlongs, surrogates, > U+10FFFF
        except UnicodeDecodeError as e:
            raise WireError("invalid-utf8", f"{self.where}.{name}: invalid UTF-8 at byte "
                                            f"{e.start} of {len(data)}") from None

    def ident(self, name: str, limit: int) -> str:
        """1..limit bytes of printable ASCII 0x21-0x7E (agent_id, node_id)."""
        s = self.string(name, limit, 1)
        bad = [c for c in s if not 0x21 <= ord(c) <= 0x7E]
        if bad:
            raise WireError("invalid-value", f"{self.where}.{name}: character U+{ord(bad[0]):04X} "
                                             f"is not printable ASCII 0x21-0x7E")
        return s

    def finish(self) -> None:
        if self.pos != self.end:
            raise WireError("trailing-bytes", f"{self.where}: {self.end - self.pos} bytes after "
                                              f"the last field")


def _invalid(where: str, msg: str) -> WireError:
    return WireError("invalid-value", f"{where}: {msg}")


# --------------------------------------------------------------------------
# Frame types (section 4). Each class encodes/decodes its payload.

@dataclass
class Hello:
    versions: list[int]
    agent_id: str
    token: bytes
    capabilities: int
    software: str
    host: str
    TYPE = 0x01

    def encode(self, w: Writer) -> None:
        w.u8(len(self.versions), "versions.count")
        for i, v in enumerate(self.versions):
            w.u8(v, f"versions[{i}]")
        w.string(self.agent_id, "agent_id")
        w.bytes_(self.token, "token")
        w.u32(self.capabilities, "capabilities")
        w.string(self.software, "software")
        w.string(self.host, "host")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Hello":
        n = r.count("versions.count", lim.versions, minimum=1, value=r.u8("versions.count"))
        versions = [r.u8(f"versions[{i}]") for i in range(n)]
        # Unknown capability bits are ignored by receivers (senders send 0).
        return cls(versions, r.ident("agent_id", lim.ident), r.bytes_("token", lim.token),
                   r.u32("capabilities"), r.string("software", lim.ident),
                   r.string("host", lim.host))


@dataclass
class Welcome:
    version: int
    capabilities: int
    node_id: str
    max_frame_bytes: int
    max_batch_records: int
    max_batch_raw_bytes: int
    window: int
    idle_timeout_ms: int
    TYPE = 0x02

    def encode(self, w: Writer) -> None:
        w.u8(self.version, "version")
        w.u32(self.capabilities, "capabilities")
        w.string(self.node_id, "node_id")
        w.u32(self.max_frame_bytes, "max_frame_bytes")
        w.u32(self.max_batch_records, "max_batch_records")
        w.u32(self.max_batch_raw_bytes, "max_batch_raw_bytes")
        w.u16(self.window, "window")
        w.u32(self.idle_timeout_ms, "idle_timeout_ms")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Welcome":
        m = cls(r.u8("version"), r.u32("capabilities"), r.ident("node_id", lim.ident),
                r.u32("max_frame_bytes"), r.u32("max_batch_records"),
                r.u32("max_batch_raw_bytes"), r.u16("window"), r.u32("idle_timeout_ms"))
        for name, minimum in (("max_frame_bytes", 65536), ("max_batch_records", 1),
                              ("max_batch_raw_bytes", 65536), ("window", 1)):
            if getattr(m, name) < minimum:
                raise _invalid(f"{r.where}.{name}", f"{getattr(m, name)} is below {minimum}")
        return m


@dataclass
class Reject:
    code: int
    retry_after_ms: int
    reason: str
    TYPE = 0x03

    def encode(self, w: Writer) -> None:
        w.u16(self.code, "code")
        w.u32(self.retry_after_ms, "retry_after_ms")
        w.string(self.reason, "reason")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Reject":
        return cls(r.u16("code"), r.u32("retry_after_ms"), r.string("reason", lim.reason))


# Records of a BATCH body (section 4.4). ts is absolute nanoseconds; labels
# are (name, value) pairs.

@dataclass
class LogRecord:
    ts: int
    labels: list[tuple[str, str]]
    severity: int
    message: bytes
    fields: list[tuple[str, str]] = field(default_factory=list)
    KIND = 1


@dataclass
class MetricRecord:
    ts: int
    labels: list[tuple[str, str]]
    name: str
    metric_kind: int
    value: float
    KIND = 2


@dataclass
class EventRecord:
    ts: int
    labels: list[tuple[str, str]]
    type: str
    message: bytes
    KIND = 3


LABEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Smallest encoded sizes, for checking counts against the bytes that remain
# (section 7): a label pair is two varints; a LOG field a varint and an empty
# string; the smallest record is an EVENT (kind, ts_delta, labelset_ix,
# type_ix, empty message); an ACK entry is a u64; an address a 1-byte string.
PAIR_MIN, FIELD_MIN, RECORD_MIN, SELECTIVE_MIN, ADDRESS_MIN = 2, 2, 5, 8, 2


def encode_body(records: list) -> Writer:
    """Encode records with the string table and label sets in canonical order
    (section 4.4). Label pairs are sorted by name bytes."""
    strings: dict[str, int] = {}
    sets: dict[tuple, int] = {}
    set_list: list[list[tuple[int, int]]] = []

    def ix(s: str) -> int:
        return strings.setdefault(s, len(strings))

    def labelset_key(rec) -> tuple:
        return tuple(sorted(rec.labels, key=lambda p: p[0].encode()))

    for rec in records:
        key = labelset_key(rec)
        if key not in sets:
            sets[key] = len(set_list)
            set_list.append([(ix(n), ix(v)) for n, v in key])
        if rec.KIND == 1:
            for n, _ in rec.fields:
                ix(n)
        else:
            ix(rec.name if rec.KIND == 2 else rec.type)

    w = Writer()
    w.varint(len(strings), "strings.count")
    for i, s in enumerate(strings):
        w.string(s, f"strings[{i}]")
    w.varint(len(set_list), "labelsets.count")
    for i, pairs in enumerate(set_list):
        w.varint(len(pairs), f"labelsets[{i}].pairs")
        for j, (n, v) in enumerate(pairs):
            w.varint(n, f"labelsets[{i}][{j}].name_ix").varint(v, f"labelsets[{i}][{j}].value_ix")
    prev = 0
    for i, rec in enumerate(records):
        p = f"records[{i}]"
        w.u8(rec.KIND, f"{p}.kind ({type(rec).__name__[:-6].upper()})")
        w.svarint(rec.ts - prev, f"{p}.ts_delta")
        prev = rec.ts
        w.varint(sets[labelset_key(rec)], f"{p}.labelset_ix")
        if rec.KIND == 1:
            w.u8(rec.severity, f"{p}.severity").bytes_(rec.message, f"{p}.message")
            w.varint(len(rec.fields), f"{p}.nfields")
            for j, (n, v) in enumerate(rec.fields):
                w.varint(strings[n], f"{p}.fields[{j}].name_ix").string(v, f"{p}.fields[{j}].value")
        elif rec.KIND == 2:
            w.varint(strings[rec.name], f"{p}.name_ix").u8(rec.metric_kind, f"{p}.metric_kind")
            w.f64(rec.value, f"{p}.value")
        else:
            w.varint(strings[rec.type], f"{p}.type_ix").bytes_(rec.message, f"{p}.message")
    return w


def decode_body(raw: bytes, record_count: int, lim: Limits = DEFAULT_LIMITS) -> list:
    """Decode an (inflated) BATCH body holding ``record_count`` records."""
    r = Reader(raw, "BATCH.body")
    n = r.count("strings.count", lim.strings)
    strings = [r.string(f"strings[{i}]", lim.table_string) for i in range(n)]

    def lookup(table: list, i: int, name: str):
        if i >= len(table):
            raise _invalid(f"BATCH.body.{name}", f"index {i} out of range (table has {len(table)})")
        return table[i]

    labelsets = []
    for i in range(r.count("labelsets.count", lim.labelsets)):
        pairs = []
        for j in range(r.count(f"labelsets[{i}].pairs", lim.labels_per_set, PAIR_MIN)):
            p = f"labelsets[{i}][{j}]"
            name = lookup(strings, r.varint(p + ".name_ix"), p + ".name_ix")
            value = lookup(strings, r.varint(p + ".value_ix"), p + ".value_ix")
            size = len(name.encode())
            if size > lim.label_name:
                raise WireError("limit-exceeded", f"BATCH.body.{p}: label name length {size} "
                                                  f"exceeds limit {lim.label_name}")
            if not LABEL_NAME.match(name):
                raise _invalid(f"BATCH.body.{p}", f"{name!r} is not a valid label name")
            if pairs and name.encode() <= pairs[-1][0].encode():
                raise _invalid(f"BATCH.body.{p}", f"label {name!r} does not sort after "
                                                  f"{pairs[-1][0]!r} (names must be strictly ascending)")
            pairs.append((name, value))
        labelsets.append(pairs)

    r.count("record_count", lim.max_batch_records, RECORD_MIN, value=record_count)
    records, ts = [], 0
    for i in range(record_count):
        p = f"records[{i}]"
        kind = r.u8(p + ".kind")
        if kind not in (1, 2, 3):
            raise _invalid(f"BATCH.body.{p}.kind", f"unknown record kind {kind}")
        delta = r.svarint(p + ".ts_delta")
        ts += delta
        if not -(1 << 63) <= ts < 1 << 63:
            raise _invalid(f"BATCH.body.{p}.ts_delta", f"timestamp overflow: previous {ts - delta}"
                                                      f" + delta {delta}")
        labels = list(lookup(labelsets, r.varint(p + ".labelset_ix"), p + ".labelset_ix"))
        if kind == 1:
            sev = r.u8(p + ".severity")
            if sev > 8:
                raise _invalid(f"BATCH.body.{p}.severity", f"{sev} is out of range 0-8")
            msg = r.bytes_(p + ".message", lim.message)
            fields = []
            for j in range(r.count(p + ".nfields", lim.fields, FIELD_MIN)):
                fname = lookup(strings, r.varint(f"{p}.fields[{j}].name_ix"), f"{p}.fields[{j}].name_ix")
                if not fname:
                    raise _invalid(f"BATCH.body.{p}.fields[{j}].name_ix", "field name is empty")
                fields.append((fname, r.string(f"{p}.fields[{j}].value", lim.field_value)))
            records.append(LogRecord(ts, labels, sev, msg, fields))
        elif kind == 2:
            name = lookup(strings, r.varint(p + ".name_ix"), p + ".name_ix")
            mk = r.u8(p + ".metric_kind")
            if mk > 1:
                raise _invalid(f"BATCH.body.{p}.metric_kind", f"{mk} is neither 0 nor 1")
            records.append(MetricRecord(ts, labels, name, mk, r.f64(p + ".value")))
        else:
            etype = lookup(strings, r.varint(p + ".type_ix"), p + ".type_ix")
            records.append(EventRecord(ts, labels, etype, r.bytes_(p + ".message", lim.message)))
    r.finish()
    return records


def deflate(raw: bytes, level: int = 1) -> bytes:
    """Raw DEFLATE (RFC 1951, no zlib header or Adler-32), as BATCH bodies use."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(raw) + c.flush()


def inflate(data: bytes, raw_length: int) -> bytes:
    """Inflate one complete raw DEFLATE stream to exactly ``raw_length``
    bytes, never producing more than raw_length + 1 bytes."""
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(data, raw_length + 1)
        if len(out) > raw_length:
            raise WireError("inflate-failure", f"BATCH.body: inflates past raw_length {raw_length}")
        out += d.flush()  # no more output is possible without more input
    except zlib.error as e:
        raise WireError("inflate-failure", f"BATCH.body: corrupt deflate stream ({e})") from None
    if not d.eof:
        raise WireError("inflate-failure", f"BATCH.body: deflate stream incomplete after "
                                           f"{len(out)} bytes (raw_length {raw_length})")
    if d.unused_data:
        raise WireError("inflate-failure", f"BATCH.body: {len(d.unused_data)} bytes after the "
                                           f"end of the deflate stream")
    if len(out) != raw_length:
        raise WireError("inflate-failure", f"BATCH.body: inflated to {len(out)} bytes, "
                                           f"raw_length says {raw_length}")
    return out


@dataclass
class Batch:
    agent_id: str
    sequence: int
    record_count: int
    raw_length: int
    body: bytes                 # as sent: raw DEFLATE stream if compressed
    compressed: bool = False
    body_writer: Writer | None = field(default=None, repr=False, compare=False)
    TYPE = 0x10

    @classmethod
    def build(cls, agent_id: str, sequence: int, records: list, compress: bool = False) -> "Batch":
        """A BATCH of ``records``; compressed bodies are raw DEFLATE, level 1."""
        bw = encode_body(records)
        raw = bytes(bw.buf)
        body = deflate(raw, 1) if compress else raw
        return cls(agent_id, sequence, len(records), len(raw), body, compress,
                   None if compress else bw)

    @property
    def flags(self) -> int:
        return FLAG_COMPRESSED if self.compressed else 0

    def raw_body(self) -> bytes:
        return inflate(self.body, self.raw_length) if self.compressed else self.body

    def records(self, lim: Limits = DEFAULT_LIMITS) -> list:
        """Inflate (if needed) and decode the body."""
        return decode_body(self.raw_body(), self.record_count, lim)

    def encode(self, w: Writer) -> None:
        w.string(self.agent_id, "agent_id")
        w.u64(self.sequence, "sequence")
        w.varint(self.record_count, "record_count")
        w.varint(self.raw_length, "raw_length")
        if self.body_writer is not None and bytes(self.body_writer.buf) == self.body:
            w.embed(self.body_writer, "body.")
        else:
            w.raw(self.body, "body", f" ({'deflate stream, ' if self.compressed else ''}"
                                     f"{len(self.body)} bytes)")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Batch":
        agent_id = r.ident("agent_id", lim.ident)
        seq = r.u64("sequence")
        if seq == 0:
            raise _invalid(f"{r.where}.sequence", "0 is not a valid sequence (must be >= 1)")
        count = r.varint("record_count")
        if count == 0:
            raise _invalid(f"{r.where}.record_count", "0 records (must be >= 1)")
        if count > lim.max_batch_records:
            raise WireError("limit-exceeded", f"{r.where}.record_count: {count} exceeds "
                                              f"max_batch_records {lim.max_batch_records}")
        raw_length = r.varint("raw_length")
        if raw_length > lim.max_batch_raw_bytes:
            raise WireError("limit-exceeded", f"{r.where}.raw_length: {raw_length} exceeds "
                                              f"max_batch_raw_bytes {lim.max_batch_raw_bytes}")
        if count * RECORD_MIN > raw_length:
            raise WireError("limit-exceeded", f"{r.where}.record_count: {count} records of at least "
                                              f"{RECORD_MIN} bytes exceed raw_length {raw_length}")
        compressed = bool(flags & FLAG_COMPRESSED)
        if compressed:
            body = r._take(r.remaining(), "body")
        else:
            body = r._take(raw_length, "body (raw_length bytes)")
        return cls(agent_id, seq, count, raw_length, body, compressed)


@dataclass
class Ack:
    cumulative: int
    selective: list[int]
    TYPE = 0x11

    def encode(self, w: Writer) -> None:
        w.u64(self.cumulative, "cumulative")
        w.varint(len(self.selective), "selective.count")
        for i, s in enumerate(self.selective):
            w.u64(s, f"selective[{i}]")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Ack":
        cum = r.u64("cumulative")
        n = r.count("selective.count", lim.window, SELECTIVE_MIN)
        return cls(cum, [r.u64(f"selective[{i}]") for i in range(n)])


@dataclass
class Nack:
    sequence: int
    disposition: int
    code: int
    reason: str
    TYPE = 0x12

    def encode(self, w: Writer) -> None:
        w.u64(self.sequence, "sequence").u8(self.disposition, "disposition")
        w.u16(self.code, "code").string(self.reason, "reason")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Nack":
        m = cls(r.u64("sequence"), r.u8("disposition"), r.u16("code"), r.string("reason", lim.reason))
        if m.disposition > 1:
            raise _invalid(f"{r.where}.disposition", f"{m.disposition} is neither 0 nor 1")
        return m


@dataclass
class Busy:
    sequence: int
    retry_after_ms: int
    reason: str
    TYPE = 0x13

    def encode(self, w: Writer) -> None:
        w.u64(self.sequence, "sequence").u32(self.retry_after_ms, "retry_after_ms")
        w.string(self.reason, "reason")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Busy":
        return cls(r.u64("sequence"), r.u32("retry_after_ms"), r.string("reason", lim.reason))


@dataclass
class Ping:
    nonce: int
    TYPE = 0x20

    def encode(self, w: Writer) -> None:
        w.u64(self.nonce, "nonce")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits):
        return cls(r.u64("nonce"))


@dataclass
class Pong(Ping):
    TYPE = 0x21


@dataclass
class GoAway:
    code: int
    reason: str
    alternatives: list[str]
    TYPE = 0x22

    def encode(self, w: Writer) -> None:
        w.u16(self.code, "code").string(self.reason, "reason")
        w.varint(len(self.alternatives), "alternatives.count")
        for i, a in enumerate(self.alternatives):
            w.string(a, f"alternatives[{i}]")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "GoAway":
        code, reason = r.u16("code"), r.string("reason", lim.reason)
        n = r.count("alternatives.count", lim.alternatives, ADDRESS_MIN)
        return cls(code, reason, [r.string(f"alternatives[{i}]", lim.address, 1) for i in range(n)])


# Central configuration (section 12), on connections whose HELLO and WELCOME
# both carry capability bit 2.
CONFIG_GROUP_MAX = 64
CONFIG_BODY_MAX = 1 << 20
CONFIG_ERROR_MAX = 4096
_GROUP_BYTES = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def _group(r: Reader) -> str:
    g = r.string("group", CONFIG_GROUP_MAX, 1)
    if not set(g.encode()) <= _GROUP_BYTES:
        raise _invalid(f"{r.where}.group", f"{g!r} must be 1-64 letters, digits, '.', '_' or '-'")
    return g


@dataclass
class ConfigRequest:
    group: str
    version: int
    TYPE = 0x38
    NAME = "CONFIG_REQUEST"

    def encode(self, w: Writer) -> None:
        w.string(self.group, "group").u64(self.version, "version")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "ConfigRequest":
        return cls(_group(r), r.u64("version"))


@dataclass
class Config:
    group: str
    version: int
    state: int
    body: str
    TYPE = 0x39
    NAME = "CONFIG"

    def encode(self, w: Writer) -> None:
        w.string(self.group, "group").u64(self.version, "version").u8(self.state, "state")
        w.string(self.body, "body")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Config":
        group, version, state = _group(r), r.u64("version"), r.u8("state")
        if state > 2:
            raise _invalid(f"{r.where}.state", f"is {state}; expected 0 (body), 1 (unchanged) or 2 (none)")
        body = r.string("body", CONFIG_BODY_MAX)
        if state != 0 and body:
            raise _invalid(f"{r.where}.body", f"holds {len(body.encode())} bytes but state {state} carries none")
        if state == 0 and version == 0:
            raise _invalid(f"{r.where}.version", "is 0 with a body; versions start at 1")
        return cls(group, version, state, body)


@dataclass
class ConfigChanged:
    group: str
    version: int
    TYPE = 0x3A
    NAME = "CONFIG_CHANGED"

    def encode(self, w: Writer) -> None:
        w.string(self.group, "group").u64(self.version, "version")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "ConfigChanged":
        return cls(_group(r), r.u64("version"))


@dataclass
class ConfigStatus:
    group: str
    version: int
    applied: int
    error: str
    TYPE = 0x3B
    NAME = "CONFIG_STATUS"

    def encode(self, w: Writer) -> None:
        w.string(self.group, "group").u64(self.version, "version").u64(self.applied, "applied")
        w.string(self.error, "error")

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "ConfigStatus":
        return cls(_group(r), r.u64("version"), r.u64("applied"), r.string("error", CONFIG_ERROR_MAX))


@dataclass
class Report:
    """REPORT (section 4.10): tagged fields, tags strictly ascending; a
    decoder skips tags it does not know. ``None`` marks an absent optional
    field (config_version, config_error, last_error)."""
    host: str = ""
    os: str = ""
    kernel: str = ""
    version: str = ""
    started_ms: int = 0
    config_hash: str = ""
    config_version: str | None = None
    config_error: str | None = None
    spool_bytes: int = 0
    oldest_unacked_ms: int = 0
    last_error: str | None = None
    labels: list = field(default_factory=list)      # [(name, value)] sorted by name
    inputs: list = field(default_factory=list)      # [(name, type, state, records)]
    dropped_records: int = 0
    udp_dropped_records: int = 0
    TYPE = 0x30
    MAX_FIELDS, MAX_LABELS, MAX_INPUTS, MAX_FIELD_BYTES = 64, 64, 256, 65_536
    TEXT = {1: ("host", "host"), 2: ("os", "host"), 3: ("kernel", "host"), 4: ("version", "ident"),
            6: ("config_hash", "ident"), 7: ("config_version", "ident"), 8: ("config_error", "reason"),
            11: ("last_error", "reason")}
    NUMBER = {5: "started_ms", 9: "spool_bytes", 10: "oldest_unacked_ms", 14: "dropped_records",
              15: "udp_dropped_records"}

    def _fields(self) -> list:
        out = []
        for tag in range(1, 16):
            v = Writer()
            if tag in self.TEXT:
                name = self.TEXT[tag][0]
                value = getattr(self, name)
                if value is None:
                    continue
                v.raw(value.encode("utf-8"), name, f' = "{value}"')
            elif tag in self.NUMBER:
                name = self.NUMBER[tag]
                v.varint(getattr(self, name), name)
            elif tag == 12:
                name = "labels"
                v.varint(len(self.labels), "labels.count")
                for i, (n, val) in enumerate(self.labels):
                    v.string(n, f"labels[{i}].name").string(val, f"labels[{i}].value")
            else:
                name = "inputs"
                v.varint(len(self.inputs), "inputs.count")
                for i, (n, t, st, rec) in enumerate(self.inputs):
                    v.string(n, f"inputs[{i}].name").string(t, f"inputs[{i}].type")
                    v.string(st, f"inputs[{i}].state").varint(rec, f"inputs[{i}].records")
            out.append((tag, name, v))
        return out

    def encode(self, w: Writer) -> None:
        fields = self._fields()
        w.varint(len(fields), "fields.count")
        for tag, name, v in fields:
            w.varint(tag, f"tag ({name})")
            w.varint(len(v.buf), f"{name}.value.len")
            w.embed(v)

    @classmethod
    def decode(cls, r: Reader, flags: int, lim: Limits) -> "Report":
        rep = cls()
        n = r.count("fields.count", cls.MAX_FIELDS, 2)
        previous = 0
        for i in range(n):
            tag = r.varint(f"fields[{i}].tag")
            if tag <= previous:
                raise _invalid(f"{r.where}.fields[{i}].tag", f"{tag} after {previous}; tags start "
                                                            f"at 1 and strictly ascend")
            previous = tag
            value = r.bytes_(f"fields[{i}].value", cls.MAX_FIELD_BYTES)
            v = Reader(value, f"{r.where}.field{tag}")
            if tag in cls.TEXT:
                name, limit = cls.TEXT[tag]
                limit = {"host": lim.host, "ident": lim.ident, "reason": lim.reason}[limit]
                if len(value) > limit:
                    raise WireError("limit-exceeded", f"{r.where}.{name}: length {len(value)} exceeds "
                                                      f"limit {limit}")
                try:
                    setattr(rep, name, value.decode("utf-8"))
                except UnicodeDecodeError as e:
                    raise WireError("invalid-utf8", f"{r.where}.{name}: invalid UTF-8 at byte "
                                                    f"{e.start}") from None
                continue
            if tag in cls.NUMBER:
                setattr(rep, cls.NUMBER[tag], v.varint(cls.NUMBER[tag]))
            elif tag == 12:
                for j in range(v.count("labels.count", cls.MAX_LABELS, PAIR_MIN)):
                    rep.labels.append((v.string(f"labels[{j}].name", lim.label_name, 1),
                                       v.string(f"labels[{j}].value", lim.table_string)))
            elif tag == 13:
                for j in range(v.count("inputs.count", cls.MAX_INPUTS, 4)):
                    rep.inputs.append((v.string(f"inputs[{j}].name", lim.ident),
                                       v.string(f"inputs[{j}].type", lim.ident),
                                       v.string(f"inputs[{j}].state", lim.reason),
                                       v.varint(f"inputs[{j}].records")))
            else:
                continue  # a field of a later version: skipped
            v.finish()
        return rep


@dataclass
class PeerFrame:
    """A node-to-node frame (types 0x80-0xBF): flags and payload are opaque."""
    type: int
    flags: int
    payload: bytes


FRAME_TYPES = {c.TYPE: c for c in (Hello, Welcome, Reject, Batch, Ack, Nack, Busy, Ping, Pong, GoAway,
                                   Report, ConfigRequest, Config, ConfigChanged, ConfigStatus)}
FRAME_NAMES = {t: getattr(c, "NAME", c.__name__.upper()) for t, c in FRAME_TYPES.items()}


def is_peer_type(t: int) -> bool:
    return 0x80 <= t <= 0xBF


def frame_type(msg) -> int:
    return msg.type if isinstance(msg, PeerFrame) else msg.TYPE


def frame_name(t: int) -> str:
    return FRAME_NAMES.get(t, "node-to-node" if is_peer_type(t) else "unassigned")


# --------------------------------------------------------------------------
# Frames (section 3).

def raw_frame(ftype: int, payload: "bytes | Writer", *, flags: int = 0, version: int = VERSION,
              magic: bytes = MAGIC, length: int | None = None, crc: int | None = None) -> Writer:
    """Header + payload, with annotated spans. ``length`` and ``crc`` default
    to the true values; the overrides exist to build deliberately broken
    frames for the invalid vectors."""
    pw = payload if isinstance(payload, Writer) else Writer().raw(payload, "payload")
    body = bytes(pw.buf)
    w = Writer()
    w.raw(magic, "magic", f' "{magic.decode("latin-1")}"')
    w.u8(version, "version").raw(bytes([ftype]), "type", f" = 0x{ftype:02x} {frame_name(ftype)}")
    w.raw(struct.pack(">H", flags), "flags", f" = 0x{flags:04x}")
    w.u32(len(body) if length is None else length, "length")
    c = crc32c(body) if crc is None else crc
    w.raw(struct.pack(">I", c), "crc", f" = 0x{c:08x} (CRC32C of the payload)")
    return w.embed(pw)


def frame_writer(msg, **overrides) -> Writer:
    """Encode a frame object to an annotated Writer (see raw_frame)."""
    if isinstance(msg, PeerFrame):
        pw = Writer().raw(msg.payload, "payload", f" = {msg.payload!r}")
    else:
        pw = Writer()
        msg.encode(pw)
    overrides.setdefault("flags", getattr(msg, "flags", 0))
    return raw_frame(frame_type(msg), pw, **overrides)


def encode_frame(msg) -> bytes:
    """Encode a frame object (Hello ... GoAway, PeerFrame) to bytes."""
    return bytes(frame_writer(msg).buf)


_HTTP_HINT = "an HTTP request: the HTTP port is 7480, not the wire port"
_HINTS = [(b"\x16\x03", "a TLS handshake: the peer speaks TLS to a plain-TCP port")] + \
         [(m, _HTTP_HINT) for m in (b"GET ", b"POST", b"PUT ", b"HEAD")]


def decode_frame(data: bytes, pos: int = 0, lim: Limits = DEFAULT_LIMITS):
    """Decode one frame at ``data[pos:]``; returns ``(frame, next_pos)``.
    Checks in order: magic, version, type, flags, length limit, payload
    present, CRC32C, payload layout."""
    head = bytes(data[pos:pos + HEADER_SIZE])
    if head[:4] != MAGIC[:len(head[:4])]:
        hint = next((h for p, h in _HINTS if head.startswith(p)), None)
        raise WireError("bad-magic", f"frame.magic: {head[:4].hex(' ')} is not 54 52 49 42 "
                                     f"(\"TRIB\")" + (f"; this looks like {hint}" if hint else ""))
    if len(head) < HEADER_SIZE:
        raise WireError("truncated", f"frame.header: {len(head)} of {HEADER_SIZE} bytes")
    version, ftype, flags, length, crc = struct.unpack(">BBHII", head[4:])
    if version != VERSION:
        raise WireError("unsupported-version", f"frame.version: {version} (this receiver speaks 1)")
    if ftype not in FRAME_TYPES and not is_peer_type(ftype):
        raise WireError("unknown-frame-type", f"frame.type: 0x{ftype:02x} is not assigned")
    allowed = 0xFFFF if is_peer_type(ftype) else FLAG_COMPRESSED if ftype == Batch.TYPE else 0
    if flags & ~allowed:
        raise WireError("unknown-flags", f"frame.flags: 0x{flags & ~allowed:04x} not defined for "
                                         f"{FRAME_NAMES[ftype]} (flags 0x{flags:04x})")
    if length > lim.max_frame_bytes:
        raise WireError("frame-too-large", f"frame.length: {length} exceeds the limit "
                                           f"{lim.max_frame_bytes}")
    start = pos + HEADER_SIZE
    if len(data) - start < length:
        raise WireError("truncated", f"frame.payload: length says {length} bytes, "
                                     f"{len(data) - start} present")
    payload = bytes(data[start:start + length])
    actual = crc32c(payload)
    if actual != crc:
        raise WireError("checksum-mismatch", f"frame.crc: header says 0x{crc:08x}, payload has "
                                             f"0x{actual:08x}")
    if is_peer_type(ftype):
        return PeerFrame(ftype, flags, payload), start + length
    r = Reader(payload, FRAME_NAMES[ftype])
    msg = FRAME_TYPES[ftype].decode(r, flags, lim)
    r.finish()
    return msg, start + length


def decode_stream(data: bytes, lim: Limits = DEFAULT_LIMITS) -> list:
    """Decode every frame of a byte stream (which must end on a frame boundary)."""
    frames, pos = [], 0
    while pos < len(data):
        msg, pos = decode_frame(data, pos, lim)
        frames.append(msg)
    return frames


# --------------------------------------------------------------------------
# Vector files and the `check` command (section 10 of PROTOCOL.md).

def parse_vector(text: str) -> tuple[bytes, str | None]:
    """Return (bytes, expected error kind or None) of a vector file."""
    m = re.search(r"^\s*#\s*error:\s*(\S+)", text, re.M)
    hexdigits = "".join(re.sub(r"#.*", "", line) for line in text.splitlines())
    hexdigits = re.sub(r"\s+", "", hexdigits)
    if len(hexdigits) % 2 or not re.fullmatch(r"[0-9a-fA-F]*", hexdigits):
        raise ValueError("malformed hex")
    return bytes.fromhex(hexdigits), (m.group(1) if m else None)


def check_valid(data: bytes) -> str:
    """Decode, decode BATCH bodies, re-encode; raise AssertionError on mismatch."""
    frames = decode_stream(data)
    if not frames:
        raise AssertionError("no frame")
    for f in frames:
        if isinstance(f, Batch):
            raw = f.raw_body()
            again = bytes(encode_body(f.records()).buf)
            if again != raw:
                raise AssertionError("BATCH body re-encodes differently")
    again = b"".join(encode_frame(f) for f in frames)
    if again != data:
        raise AssertionError(f"re-encoding differs ({len(again)} vs {len(data)} bytes)")
    return " ".join(frame_name(frame_type(f)) for f in frames)


def check_invalid(data: bytes, expected: str) -> str:
    """Return the error message if decoding fails with kind ``expected``."""
    try:
        for f in decode_stream(data):
            if isinstance(f, Batch):
                f.records()
    except WireError as e:
        if e.kind != expected:
            raise AssertionError(f"expected {expected}, got {e}")
        return str(e)
    raise AssertionError(f"expected {expected}, but it decoded")


def check(directory: Path) -> int:
    passed = failed = 0
    files = sorted(directory.glob("*.hex")) + sorted((directory / "invalid").glob("*.hex"))
    for path in files:
        rel = path.relative_to(directory)
        try:
            data, expected = parse_vector(path.read_text())
            if path.parent.name == "invalid":
                if expected not in KINDS:
                    raise AssertionError(f"missing or unknown '# error:' kind {expected!r}")
                detail = check_invalid(data, expected)
            else:
                detail = check_valid(data)
            print(f"ok    {rel}: {detail}")
            passed += 1
        except (AssertionError, ValueError, WireError) as e:
            print(f"FAIL  {rel}: {e}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="verify DIR/*.hex and DIR/invalid/*.hex")
    c.add_argument("dir", type=Path)
    args = ap.parse_args(argv)
    return check(args.dir)


if __name__ == "__main__":
    sys.exit(main())
