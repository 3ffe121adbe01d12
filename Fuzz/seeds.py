#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into OUT/<target>/.

Seeds come from what the repository already holds: the golden vectors
(proto/vectors, hex text turned into bytes), string literals of the unit
tests, Loghub samples (../shared/data/loghub), the example configurations
in deploy/ and the queries in README.md. Regenerated on every run, so new
vectors and tests become seeds by themselves.

usage: seeds.py REPO OUT
"""
import glob
import hashlib
import os
import re
import sys

REPO, OUT = sys.argv[1], sys.argv[2]


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    directory = os.path.join(OUT, target)
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(data)


def hex_vector(path):
    digits = "".join(line.split("#", 1)[0] for line in open(path))
    return bytes.fromhex("".join(digits.split()))


def unescape(literal):
    """The common escapes of a Swift string literal; others stay as written."""
    escapes = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", '"': '"', "\\": "\\"}
    literal = re.sub(r"\\u\{([0-9a-fA-F]{1,6})\}", lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0xD800 else "?", literal)
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), literal)


def literals(pattern):
    """Swift string literals (plain and #"raw"#) of the files matching pattern."""
    found = []
    for path in glob.glob(os.path.join(REPO, pattern), recursive=True):
        text = open(path, encoding="utf-8", errors="replace").read()
        for raw in re.findall(r'#"(.*?)"#', text):
            found.append(raw)
        for plain in re.findall(r'(?<!#)"((?:[^"\\\n]|\\.)*)"', text):
            found.append(unescape(plain))
    return [literal for literal in found if literal]


def varint(data, offset):
    value, shift = 0, 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, offset


# Frames: every golden vector, valid or not, and two valid ones back to back.
vectors = sorted(glob.glob(os.path.join(REPO, "proto/vectors/*.hex")))
invalid = sorted(glob.glob(os.path.join(REPO, "proto/vectors/invalid/*.hex")))
for path in vectors + invalid:
    put("fuzz-frame", hex_vector(path))
if len(vectors) >= 2:
    put("fuzz-frame", hex_vector(vectors[0]) + hex_vector(vectors[-1]))

# Batches: the BATCH vectors' bodies in fuzz-batch's layout
# (flags, record_count u16, raw_length u24, body).
for path in vectors + invalid:
    frame = hex_vector(path)
    if len(frame) < 16 or frame[:4] != b"TRIB" or frame[5] != 0x10:
        continue
    try:
        payload = frame[16:]
        agent_length, offset = varint(payload, 0)
        offset += agent_length + 8
        count, offset = varint(payload, offset)
        raw_length, offset = varint(payload, offset)
    except IndexError:
        continue
    flags = frame[7] & 1
    put("fuzz-batch", bytes([flags]) + min(count, 0xFFFF).to_bytes(2, "big")
        + min(raw_length, 0xFFFFFF).to_bytes(3, "big") + payload[offset:])

# Syslog: RFC examples and variants from the tests, Loghub lines with a
# priority, as datagrams and as octet-counted / newline-framed streams.
# fuzz-syslog's first byte picks the piece size and the frame limit.
messages = [m for m in literals("Tests/TributarySyslogTests/**/*.swift") if m.startswith("<") or m[:1].isdigit()]
loghub = os.path.join(REPO, "../shared/data/loghub")
if not os.path.isdir(loghub):
    loghub = "/work/shared/data/loghub"
for path in sorted(glob.glob(os.path.join(loghub, "*_2k.log"))):
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle):
            if number >= 12:
                break
            messages.append("<%d>%s" % (13 + number, line.rstrip("\n")))
for index, message in enumerate(messages):
    put("fuzz-syslog", bytes([index % 256]) + message.encode())
for start in range(0, len(messages), 8):
    group = [m.encode() for m in messages[start:start + 8]]
    put("fuzz-syslog", b"\x3f" + b"".join(b"%d %s" % (len(m), m) for m in group))
    put("fuzz-syslog", b"\x81" + b"\n".join(group) + b"\n")

# Formats: the formats tests' literals, Loghub lines.
for literal in literals("Tests/TributaryFormatsTests/**/*.swift"):
    put("fuzz-formats", literal)
put("fuzz-formats", '{"log":"hello\\n","stream":"stdout","time":"2026-11-22T06:00:00.123456789Z"}')
put("fuzz-formats", 'level=info msg="request done" duration=12ms user=alice')
put("fuzz-formats", "api.requests:1|c|@0.5|#env:prod\nlatency:320|ms\ngauge:+3|g")
put("fuzz-formats", '# TYPE foo counter\nfoo_total{a="b\\\\c\\"d\\n"} 17 1520879607.789 # {id="x"} 5\n# EOF\n')

# Queries: the README's and the query tests'.
readme = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
for query in re.findall(r"trib query '([^']*)'", readme):
    put("fuzz-query", query)
for literal in literals("Tests/TributaryQueryTests/**/*.swift") + literals("Tests/TributaryCLITests/NodeQueryTests.swift"):
    if any(c in literal for c in "{}([|=~"):
        put("fuzz-query", literal)
for time in ["15m", "1h30m", "2026-11-22T06:00:00Z", "2026-11-22T06:00:00.5+02:00", "1700000000"]:
    put("fuzz-query", time)

# Configurations: deploy/ and the YAML the CLI tests write.
for path in glob.glob(os.path.join(REPO, "deploy/**/*.yaml"), recursive=True):
    put("fuzz-config", open(path, "rb").read())
for literal in re.findall(r'"""\n(.*?)"""', "".join(
        open(p, encoding="utf-8").read() for p in glob.glob(os.path.join(REPO, "Tests/**/*.swift"), recursive=True)), re.S):
    if ":" in literal and "\\(" not in literal:
        put("fuzz-config", literal)
