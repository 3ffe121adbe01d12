#!/usr/bin/env python3
"""Generate the golden vectors in proto/vectors/ with tribwire.py.

    python3 proto/reference/make_vectors.py           # (re)write every vector
    python3 proto/reference/make_vectors.py --dump 01-hello.hex
                                                     # annotated dump for PROTOCOL.md

Each vector is a text file: ``#`` starts a comment; the first comment lines
describe the frame; then the bytes as lowercase hex, one field per line, each
line ending in a ``# field`` comment. Invalid vectors also carry
``# error: KIND``. The Swift tests hard-code the same values: do not change
them without changing the tests.
"""
from __future__ import annotations

import argparse
import struct
import sys
import zlib
from pathlib import Path

sys.dont_write_bytecode = True  # keep proto/reference free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tribwire as tw  # noqa: E402
from tribwire import Writer  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "vectors"
AGENT = "agent-7f3c"
BYTES_PER_LINE = 16

# ----------------------------------------------------------------------------
# The values (shared with the Swift tests).

HELLO = tw.Hello([1], AGENT, b"s3cret-token", 1, "trib/0.1.0", "web-1")
WELCOME = tw.Welcome(1, 1, "node-a", 8_388_608, 100_000, 67_108_864, 8, 30_000)
REJECT = tw.Reject(2, 0, "unknown token for agent agent-7f3c")
SYSLOG = [("host", "web-1"), ("source", "syslog")]
RECORDS = [
    tw.LogRecord(1_700_000_000_000_000_000, SYSLOG, 6,
                 b"sshd[4242]: Accepted publickey for deploy from 10.0.0.9", [("user", "deploy")]),
    tw.LogRecord(1_700_000_000_000_500_000, SYSLOG, 3,
                 b"sshd[4242]: Connection closed by 10.0.0.9", []),
    tw.MetricRecord(1_700_000_000_001_000_000, [("cpu", "0"), ("host", "web-1")],
                    "cpu_seconds_total", 0, 1234.5),
    tw.EventRecord(1_700_000_000_002_000_000, [("host", "web-1"), ("service", "checkout")],
                   "deploy", b"v1.4.2"),
]
BATCH_PLAIN = tw.Batch.build(AGENT, 42, RECORDS)
BATCH_ZLIB = tw.Batch.build(AGENT, 43, RECORDS, compress=True)
ACK = tw.Ack(42, [44, 45])
NACK = tw.Nack(43, 1, 3, "record at 2023-11-14T22:13:20Z is older than the 7d retention "
                         "of tenant default")
BUSY = tw.Busy(0, 250, "write-ahead log is full; 8 batches queued")
NONCE = 0x0102030405060708
GOAWAY = tw.GoAway(2, "node-a is shutting down", ["10.0.0.2:7400", "node-c.example:7400"])
PEER = tw.PeerFrame(0x80, 0, b"opaque")
CONFIG_REQUEST = tw.ConfigRequest("web", 3)
CONFIG = tw.Config("web", 4, 0, "inputs: [{type: syslog, udp: 0.0.0.0:514}]")
CONFIG_CHANGED = tw.ConfigChanged("web", 5)
CONFIG_STATUS = tw.ConfigStatus("web", 5, 4, "does not start: input syslog: cannot listen on udp 0.0.0.0:514")
REPORT = tw.Report("web-1", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "0.1.0", 1_700_000_000_000,
                   "9f86d081884c7d65", None, None, 4096, 1500, None, [("env", "prod")],
                   [("app", "file", "running", 1200), ("syslog", "syslog", "running", 35)], 0, 0)


# ----------------------------------------------------------------------------
# Descriptions and file layout.

def q(v) -> str:
    """A value as written in the description lines."""
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, (bytes, bytearray)):
        return 'b"' + repr(bytes(v))[2:-1].replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(q(x) for x in v) + "]"
    if isinstance(v, tuple):
        return f"{v[0]}={q(v[1])}"
    return str(v)


def describe_record(rec) -> str:
    labels = "{" + ", ".join(f"{n}={q(v)}" for n, v in rec.labels) + "}"
    head = f"{type(rec).__name__[:-6].upper()} ts={rec.ts} labels={labels}"
    if isinstance(rec, tw.LogRecord):
        return f"{head} severity={rec.severity} message={q(rec.message)} fields={q(rec.fields)}"
    if isinstance(rec, tw.MetricRecord):
        return f"{head} name={q(rec.name)} metric_kind={rec.metric_kind} value={rec.value!r}"
    return f"{head} type={q(rec.type)} message={q(rec.message)}"


def describe(msg) -> list[str]:
    """Comment lines describing a frame object and every field value."""
    if isinstance(msg, tw.PeerFrame):
        return [f"node-to-node frame type=0x{msg.type:02x} flags=0x{msg.flags:04x} "
                f"payload={q(msg.payload)} (opaque)"]
    name = tw.FRAME_NAMES[msg.TYPE]
    if isinstance(msg, tw.Batch):
        lines = [f"{name} flags=0x{msg.flags:04x}{' (COMPRESSED)' if msg.compressed else ''} "
                 f"agent_id={q(msg.agent_id)} sequence={msg.sequence} "
                 f"record_count={msg.record_count} raw_length={msg.raw_length}"]
        if msg.compressed:
            lines.append(f"body = raw DEFLATE of the body at level 1, {len(msg.body)} bytes "
                         f"(zlib {zlib.ZLIB_VERSION}); the same body as 04-batch-plain")
        try:
            lines += [f"  [{i}] {describe_record(r)}" for i, r in enumerate(msg.records())]
        except tw.WireError:
            pass
        return lines
    fields = {k: v for k, v in vars(msg).items()}
    if isinstance(msg, tw.Ping):
        return [f"{name} nonce=0x{msg.nonce:016x}"]
    return [f"{name} " + " ".join(f"{k}={q(v)}" for k, v in fields.items())]


def layout(w: Writer) -> list[tuple[int, bytes, str]]:
    """(offset, bytes, meaning) rows: one per field, long fields wrapped."""
    rows, pos = [], 0
    spans = sorted((s for s in w.spans if s[1] > s[0]), key=lambda s: s[0])
    for start, end, desc in spans + [(len(w.buf), len(w.buf), "")]:
        if start > pos:
            spans_gap = (pos, start, "(unlabelled)")
            rows += _wrap(w.buf, *spans_gap)
        if end > start:
            rows += _wrap(w.buf, start, end, desc)
        pos = max(pos, end)
    return rows


def _wrap(buf, start, end, desc):
    rows = []
    for off in range(start, end, BYTES_PER_LINE):
        chunk = bytes(buf[off:min(end, off + BYTES_PER_LINE)])
        rows.append((off, chunk, desc if off == start else f"  ... {desc.split(' ')[0]} continued"))
    return rows


def render(w: Writer, comments: list[str], error: str | None = None) -> str:
    out = [f"# {c}" for c in comments]
    if error:
        out.append(f"# error: {error}")
    out.append("# generated by proto/reference/make_vectors.py")
    for _, chunk, desc in layout(w):
        out.append(f"{chunk.hex(' '):<{3 * BYTES_PER_LINE}}  # {desc}")
    return "\n".join(out) + "\n"


def dump(w: Writer) -> str:
    """Annotated dump (offset, bytes, meaning) for PROTOCOL.md section 9."""
    out = [f"{'offset':<7}{'bytes':<{3 * BYTES_PER_LINE + 1}}meaning"]
    for off, chunk, desc in layout(w):
        out.append(f"{off:04x}   {chunk.hex(' '):<{3 * BYTES_PER_LINE}} {desc}")
    return "\n".join(out)


# ----------------------------------------------------------------------------
# Vectors.

def valid_vectors() -> dict[str, tuple[Writer, list[str]]]:
    frames = {
        "01-hello.hex": HELLO, "02-welcome.hex": WELCOME, "03-reject.hex": REJECT,
        "04-batch-plain.hex": BATCH_PLAIN, "05-batch-zlib.hex": BATCH_ZLIB,
        "06-ack.hex": ACK, "07-nack.hex": NACK, "08-busy.hex": BUSY,
        "09-ping.hex": tw.Ping(NONCE), "10-pong.hex": tw.Pong(NONCE),
        "11-goaway.hex": GOAWAY, "12-peer.hex": PEER,
        "13-config-request.hex": CONFIG_REQUEST, "14-config.hex": CONFIG,
        "15-config-changed.hex": CONFIG_CHANGED, "16-config-status.hex": CONFIG_STATUS,
        "11-goaway.hex": GOAWAY, "12-peer.hex": PEER, "17-report.hex": REPORT,
    }
    return {n: (tw.frame_writer(m), describe(m)) for n, m in frames.items()}


def ping_payload(extra: bytes = b"") -> Writer:
    w = Writer().u64(NONCE, "nonce")
    return w.raw(extra, "extra byte after the last field") if extra else w


def batch_of(body: Writer, record_count: int, sequence: int = 1) -> Writer:
    """An uncompressed BATCH frame carrying a hand-built body."""
    b = tw.Batch(AGENT, sequence, record_count, len(body.buf), bytes(body.buf), False, body)
    return tw.frame_writer(b)


def one_log_body(strings: list[bytes], pairs: list[tuple[int, int]], severity: int = 6) -> Writer:
    """A body with the given table, one label set, one LOG record (no fields)."""
    w = Writer().varint(len(strings), "strings.count")
    for i, s in enumerate(strings):
        w.varint(len(s), f"strings[{i}].len")
        try:
            w.raw(s, f"strings[{i}]", f' = "{s.decode()}"')
        except UnicodeDecodeError:
            w.raw(s, f"strings[{i}]", f" = {s.hex(' ')} (not UTF-8)")
    w.varint(1, "labelsets.count").varint(len(pairs), "labelsets[0].pairs")
    for j, (n, v) in enumerate(pairs):
        w.varint(n, f"labelsets[0][{j}].name_ix").varint(v, f"labelsets[0][{j}].value_ix")
    w.u8(1, "records[0].kind (LOG)").svarint(RECORDS[0].ts, "records[0].ts_delta")
    w.varint(0, "records[0].labelset_ix").u8(severity, "records[0].severity")
    return w.bytes_(b"hello", "records[0].message").varint(0, "records[0].nfields")


def invalid_vectors() -> dict[str, tuple[Writer, list[str], str]]:
    tls = (Writer().raw(b"\x16", "TLS record: content type 0x16 (handshake)")
           .raw(b"\x03\x01", "TLS record: version 3.1").raw(b"\x00\xc8", "TLS record: length 200")
           .raw(b"\x01", "handshake type 1 (ClientHello)").raw(b"\x00\x00\xc4", "handshake length 196")
           .raw(b"\x03\x03", "client_version 3.3 (TLS 1.2)").raw(bytes(range(32)), "random"))
    http = Writer()
    for line in (b"GET / HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
        http.raw(line, repr(line.decode())[1:-1])
    full_ping = tw.frame_writer(tw.Ping(NONCE))
    crc_ping = tw.crc32c(bytes(full_ping.buf[16:]))
    ack_payload = Writer().u64(42, "cumulative")
    small = [tw.LogRecord(RECORDS[0].ts, SYSLOG, 6, b"hello")]
    body_small = tw.encode_body(small)
    compressed = bytearray(BATCH_ZLIB.body)
    compressed[0] |= 0x06  # BTYPE of the first deflate block := 11 (reserved)
    bomb = tw.deflate(bytes(1_000_000), 9)
    return {
        "bad-magic.hex": (tw.frame_writer(tw.Ping(NONCE), magic=b"TRIX"),
                          ["PING whose magic is \"TRIX\" instead of \"TRIB\""], "bad-magic"),
        "tls-on-plain-port.hex": (tls, ["the first bytes of a TLS ClientHello sent to a plain-TCP port",
                                        "(a receiver should hint at TLS)"], "bad-magic"),
        "http-on-wire-port.hex": (http, ["an HTTP request sent to the wire port",
                                         "(a receiver should hint at HTTP)"], "bad-magic"),
        "unsupported-version.hex": (tw.frame_writer(tw.Ping(NONCE), version=2),
                                    ["PING with header version 2"], "unsupported-version"),
        "report-tags-descending.hex": (
            tw.raw_frame(0x30, Writer().varint(2, "fields.count")
                         .varint(2, "tag (os)").varint(5, "os.value.len").raw(b"Linux", "os", ' = "Linux"')
                         .varint(1, "tag (host)").varint(5, "host.value.len").raw(b"web-1", "host", ' = "web-1"')),
            ["REPORT whose tags are out of order: 2 (os) before 1 (host)",
             "(tags strictly ascend, so a field appears once)"], "invalid-value"),
        "unknown-type.hex": (tw.raw_frame(0x55, b""), ["frame of unassigned type 0x55, empty payload"],
                             "unknown-frame-type"),
        "unknown-flags.hex": (tw.frame_writer(tw.Ack(42, []), flags=0x0001),
                              ["ACK cumulative=42 selective=[] with flags 0x0001",
                               "(COMPRESSED is defined for BATCH only)"], "unknown-flags"),
        "frame-too-large.hex": (tw.raw_frame(0x20, b"", length=0x0100_0000, crc=0),
                                ["PING header only, payload length 0x01000000 (16 MiB) > 8 MiB",
                                 "(rejected before any payload is read)"], "frame-too-large"),
        "checksum-mismatch.hex": (tw.frame_writer(tw.Ping(NONCE), crc=(crc_ping + 1) & 0xFFFFFFFF),
                                  [f"PING whose CRC32C is 0x{(crc_ping + 1) & 0xFFFFFFFF:08x}, "
                                   f"one more than the correct 0x{crc_ping:08x}"], "checksum-mismatch"),
        "truncated.hex": (tw.raw_frame(0x20, Writer().raw(NONCE.to_bytes(8, "big")[:3],
                                                          "nonce, first 3 of 8 bytes"),
                                       length=8, crc=crc_ping),
                          ["PING header claiming an 8-byte payload; only 3 bytes follow"], "truncated"),
        "trailing-bytes.hex": (tw.raw_frame(0x20, ping_payload(b"\x00")),
                               ["PING with a 9-byte payload (nonce + one extra 00), correct CRC"],
                               "trailing-bytes"),
        "varint-overflow.hex": (tw.raw_frame(0x11, Writer().embed(ack_payload).raw(
                                    b"\xff" * 11, "selective.count: 11 bytes of ff")),
                                ["ACK cumulative=42 whose selective count varint is 11 bytes of 0xff",
                                 "(the 10th byte must be 0x01)"], "varint-overflow"),
        "non-minimal-varint.hex": (tw.raw_frame(0x11, Writer().embed(ack_payload).raw(
                                       b"\x80\x00", "selective.count: 80 00, non-minimal 0")),
                                   ["ACK cumulative=42 whose selective count is 80 00 (0 must be 00)"],
                                   "non-minimal-varint"),
        "invalid-utf8-agent-id.hex": (
            tw.raw_frame(0x01, Writer().u8(1, "versions.count").u8(1, "versions[0]")
                         .varint(2, "agent_id.len").raw(b"\xc0\xaf", "agent_id", " = c0 af (overlong '/')")
                         .bytes_(b"", "token").u32(1, "capabilities").string("trib/0.1.0", "software")
                         .string("web-1", "host")),
            ["HELLO versions=[1] agent_id=c0 af (an overlong encoding of \"/\", invalid UTF-8) "
             "token=b\"\" capabilities=1 software=\"trib/0.1.0\" host=\"web-1\""], "invalid-utf8"),
        "invalid-utf8-label-name.hex": (
            batch_of(one_log_body([b"\xff\xfe", b"web-1"], [(0, 1)]), 1),
            ["uncompressed BATCH sequence=1, one LOG record; string table entry 0, used as",
             "the label name of labelset 0, is ff fe (invalid UTF-8)"], "invalid-utf8"),
        "record-count-exceeds-body.hex": (
            tw.frame_writer(tw.Batch(AGENT, 1, 50_000, len(body_small.buf), bytes(body_small.buf),
                                     False, body_small)),
            ["uncompressed BATCH sequence=1 record_count=50000 whose body (raw_length bytes)",
             "holds one LOG record: the count is more than the remaining bytes can hold"],
            "limit-exceeded"),
        "unsorted-labels.hex": (
            batch_of(one_log_body([b"source", b"syslog", b"host", b"web-1"], [(0, 1), (2, 3)]), 1),
            ["uncompressed BATCH sequence=1, one LOG record whose label set lists",
             "source=\"syslog\" before host=\"web-1\" (names must be strictly ascending)"],
            "invalid-value"),
        "inflate-past-raw-length.hex": (
            tw.frame_writer(tw.Batch(AGENT, 1, 1, 1000, bomb, True)),
            [f"COMPRESSED BATCH sequence=1 record_count=1 raw_length=1000 whose body is",
             f"raw DEFLATE of 1,000,000 zero bytes at level 9 ({len(bomb)} bytes): it inflates past",
             "raw_length, and a receiver must stop inflating there"], "inflate-failure"),
        "corrupt-zlib.hex": (
            tw.frame_writer(tw.Batch(AGENT, 43, 4, BATCH_ZLIB.raw_length, bytes(compressed), True)),
            ["the BATCH of 05-batch-zlib.hex with byte 0 of the deflate stream (the first",
             f"block header) changed from {BATCH_ZLIB.body[0]:02x} to {compressed[0]:02x}: "
             "block type 11 is reserved.", "The CRC32C is recomputed, so the frame is sound"],
            "inflate-failure"),
        "sequence-zero.hex": (tw.frame_writer(tw.Batch.build(AGENT, 0, small)),
                              ["uncompressed BATCH with sequence 0 (must be >= 1), one LOG record"],
                              "invalid-value"),
        "severity-out-of-range.hex": (
            tw.frame_writer(tw.Batch.build(AGENT, 1, [tw.LogRecord(RECORDS[0].ts, SYSLOG, 9, b"hello")])),
            ["uncompressed BATCH sequence=1, one LOG record with severity 9 (0-8 allowed)"],
            "invalid-value"),
        "config-state-out-of-range.hex": (
            tw.raw_frame(0x39, Writer().string("web", "group").u64(4, "version").u8(3, "state (3: unassigned)")
                         .string("", "body")),
            ["CONFIG group=\"web\" version=4 state=3 body=\"\" (states are 0 body, 1 unchanged, 2 none)"],
            "invalid-value"),
        "config-group-invalid.hex": (
            tw.raw_frame(0x38, Writer().string("web servers", "group").u64(0, "version")),
            ["CONFIG_REQUEST group=\"web servers\" version=0 (a space is not allowed in a group)"],
            "invalid-value"),
        "label-index-out-of-range.hex": (
            batch_of(one_log_body([b"host", b"web-1"], [(0, 2)]), 1),
            ["uncompressed BATCH sequence=1, one LOG record; labelset 0 has value_ix 2",
             "but the string table has only 2 entries (0 and 1)"], "invalid-value"),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description="Generate proto/vectors/ (see module docstring).")
    ap.add_argument("--dump", metavar="NAME", help="print the annotated dump of one valid vector")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    valid, invalid = valid_vectors(), invalid_vectors()
    if args.dump:
        w, comments = valid[args.dump]
        print("\n".join(comments))
        print(dump(w))
        return 0
    (args.out / "invalid").mkdir(parents=True, exist_ok=True)
    for old in list(args.out.glob("*.hex")) + list((args.out / "invalid").glob("*.hex")):
        old.unlink()
    for name, (w, comments) in valid.items():
        (args.out / name).write_text(render(w, [f"{name}: valid frame"] + comments))
    for name, (w, comments, kind) in invalid.items():
        (args.out / "invalid" / name).write_text(render(w, [f"invalid/{name}"] + comments, kind))
    print(f"wrote {len(valid)} valid and {len(invalid)} invalid vectors to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
