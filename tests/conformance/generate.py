#!/usr/bin/env python3
"""Writes the generated conformance vectors (every *.json here except the
hand-written buffer_basic.json).

Expected results come from small reference models written in plain Python
(bytes.find, hashlib, struct, the documented end-of-line rules), never from
chunkbuf itself, so a vector states what the contract says. Run it after
changing a model or a case list; `generate.py --check` (a meson test) fails
when a committed file differs from what it would write.

    python3 tests/conformance/generate.py [--check]
"""
import hashlib
import json
import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
EOLS = ("any", "crlf", "crlf_strict", "lf", "nul")


def text_or_hex(name, data):
    """A byte field: plain text when printable ASCII, else name_hex."""
    if all(32 <= b < 127 for b in data):
        return {name: data.decode()}
    return {name + "_hex": data.hex()}


def appends(data, cuts=()):
    """Steps that append data as separate by-reference pieces cut at cuts,
    so searches and takes cross segment boundaries."""
    bounds = [0] + [c for c in cuts if 0 < c < len(data)] + [len(data)]
    pieces = [data[a:b] for a, b in zip(bounds, bounds[1:])] or [b""]
    return [dict(op="append_ref", **text_or_hex("data", p)) for p in pieces]


def step(op, expect=None, error=None, **fields):
    s = {"op": op}
    for k, v in fields.items():
        if isinstance(v, bytes):
            s.update(text_or_hex(k, v))
        else:
            s[k] = v
    if error is not None:
        s["expect_error"] = error
    elif isinstance(expect, bytes):
        s.update(text_or_hex("expect", expect))
    elif expect is not None:
        s["expect"] = expect
    return s


def texts(items):
    return [b.decode("latin-1") for b in items]


# ---------------------------------------------------------------- reference models

def ref_find(data, needle, start, end, last=False):
    """bytes.find/rfind, except that a start beyond the data is a range error."""
    if start > len(data):
        return ("error", "range")
    fn = data.rfind if last else data.find
    return ("ok", fn(needle, start, len(data) if end is None else end))


def find_eol(data, eol):
    """(line length, eol length) of the first complete line, or None."""
    if eol in ("lf", "nul"):
        i = data.find(b"\n" if eol == "lf" else b"\0")
        return None if i < 0 else (i, 1)
    if eol == "crlf":
        i = data.find(b"\n")
        if i < 0:
            return None
        return (i - 1, 2) if i > 0 and data[i - 1] == 13 else (i, 1)
    if eol == "crlf_strict":
        i = data.find(b"\r\n")
        return None if i < 0 else (i, 2)
    # any: the first CR or LF starts the end of line, which is the whole run
    # of CR and LF bytes from there
    idx = [i for i in (data.find(b"\r"), data.find(b"\n")) if i >= 0]
    if not idx:
        return None
    i = j = min(idx)
    while j < len(data) and data[j] in b"\r\n":
        j += 1
    return (i, j - i)


def ref_take_line(data, eol, max_len=0):
    """("ok", line, consumed) | ("error", class)."""
    found = find_eol(data, eol)
    if found is None:
        if max_len and len(data) > max_len:
            return ("error", "limit")
        return ("error", "need_more")
    n, e = found
    if max_len and n > max_len:
        return ("error", "limit")
    return ("ok", data[:n], n + e)


def ref_take_lines(data, eol, max_records, max_len=0):
    """("ok", lines, consumed) | ("error", class) for the batch calls."""
    lines, used = [], 0
    while len(lines) < max_records:
        r = ref_take_line(data[used:], eol, max_len)
        if r[0] == "error":
            if r[1] == "limit" and not lines:
                return r
            break
        lines.append(r[1])
        used += r[2]
    return ("ok", lines, used)


def ref_take_records(data, delim, max_records, max_len=0):
    lines, used = [], 0
    while len(lines) < max_records:
        i = data.find(delim, used)
        if i < 0 or (max_len and i - used > max_len):
            if max_len and (i - used > max_len if i >= 0 else len(data) - used > max_len) and not lines:
                return ("error", "limit")
            break
        lines.append(data[used:i])
        used = i + len(delim)
    return ("ok", lines, used)


def ref_delimiter_frames(data, delimiters, max_frame=0, include=False, final=True):
    """Frames of the whole input: (frames, error class or None). Before EOF
    a match is held back while a longer delimiter could still complete, and
    the trailing bytes stay in the buffer."""
    frames, pos = [], 0
    while pos < len(data):
        best = None
        for i in range(pos, len(data)):
            hits = [d for d in delimiters if data.startswith(d, i)]
            if hits:
                best = (i, max(hits, key=len))
                break
            if not final and any(d.startswith(data[i:]) for d in delimiters):
                break  # a delimiter may start here: wait for more
        end = best[0] if best else len(data)
        if max_frame and end - pos > max_frame:
            return frames, "limit"
        if best is None:
            if final:
                frames.append(data[pos:])
            break
        i, d = best
        if not final and any(len(o) > len(d) and o.startswith(data[i:]) for o in delimiters):
            break  # a longer delimiter could still match here
        frames.append(data[pos:i + len(d)] if include else data[pos:i])
        pos = i + len(d)
    return frames, None


def ref_length_frames(data, width, order="be", offset=0, adjust=0, strip=None, max_frame=0, final=True):
    """Frames of the whole input: (frames, error class or None). Before EOF
    a truncated frame waits; at EOF it is invalid."""
    strip = offset + width if strip is None else strip
    fmt = {1: "B", 2: "H", 4: "I", 8: "Q"}[width]
    frames, pos = [], 0
    while pos < len(data):
        head = offset + width
        if len(data) - pos < head:
            return frames, "inval" if final else None
        value = struct.unpack((">" if order == "be" else "<") + fmt, data[pos + offset:pos + head])[0]
        payload = value + adjust
        if payload < 0:
            return frames, "inval"
        if max_frame and payload > max_frame:
            return frames, "limit"
        if len(data) - pos < head + payload:
            return frames, "inval" if final else None
        frames.append(data[pos + strip:pos + head + payload])
        pos += head + payload
    return frames, None


def length_prefixed(payload, width, order="be", offset=0, adjust=0, header=b""):
    fmt = {1: "B", 2: "H", 4: "I", 8: "Q"}[width]
    head = (header + b"\0" * offset)[:offset]
    return head + struct.pack((">" if order == "be" else "<") + fmt, len(payload) - adjust) + payload


# ---------------------------------------------------------------- files

def buffer_find():
    cases = []
    hay = b"abcabcabdab\r\nxyz\0\0ab"
    needles = [b"a", b"ab", b"abd", b"abc", b"b\r\n", b"\r\n", b"\0", b"\0\0a", b"z", b"zz", b"dab\r", hay, hay + b"!"]
    ranges = [(0, None), (1, None), (3, 9), (4, 6), (len(hay), None), (len(hay) + 1, None), (2, 2), (5, 3),
              (0, len(hay) + 10)]
    for cuts in ([], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], [5, 12], [3, 6, 9]):
        for last in (False, True):
            steps = appends(hay, cuts)
            for n in needles:
                for start, end in ranges:
                    r = ref_find(hay, n, start, end, last)
                    fields = {"needle": n, "start": start}
                    if end is not None:
                        fields["end"] = end
                    steps.append(step("rfind" if last else "find", *(r[1:] if r[0] == "ok" else ()),
                                      error=r[1] if r[0] == "error" else None, **fields))
            steps.append(step("contents", hay))
            cases.append({"name": "%s over %d pieces" % ("rfind" if last else "find", len(cuts) + 1),
                          "steps": steps})
    # one case per needle length crossing each boundary of three pieces
    for n in range(1, 7):
        data = b"0123456789"
        for at in range(0, len(data) - n + 1):
            needle = data[at:at + n]
            cases.append({"name": "needle %r across 3-byte pieces" % needle.decode(),
                          "steps": appends(data, [3, 6, 9]) + [
                              step("find", data.find(needle), needle=needle),
                              step("rfind", data.rfind(needle), needle=needle),
                              step("find", -1, needle=needle + b"!")]})
    return {"description": "Buffer find and rfind: every needle, range and segmentation, as bytes.find/rfind "
                           "answers (a start past the data is a range error)", "cases": cases}


LINE_INPUTS = [
    b"one\ntwo\r\nthree\r\r\nfour\n\nfive",
    b"a\r\n\r\nb\rc\n\rd",
    b"x\0y\0\0z\r\n",
    b"\n\n\r\n\r\r\n",
    b"no end of line",
    b"long line here\nshort\n",
]


def buffer_lines():
    cases = []
    for idx, data in enumerate(LINE_INPUTS):
        for eol in EOLS:
            for cuts in ([], list(range(1, len(data)))):
                for max_len in (0, 4):
                    steps, rest = appends(data, cuts), data
                    while True:
                        r = ref_take_line(rest, eol, max_len)
                        fields = {"eol": eol}
                        if max_len:
                            fields["max_len"] = max_len
                        if r[0] == "error":
                            steps.append(step("take_line", error=r[1], **fields))
                            break
                        steps.append(step("take_line", r[1], **fields))
                        rest = rest[r[2]:]
                    steps.append(step("contents", rest))
                    cases.append({"name": "take_line %s input %d %s%s" % (
                        eol, idx, "bytewise" if cuts else "whole", " max_len 4" if max_len else ""),
                        "steps": steps})
            for max_records in (1, 2, 100):
                steps = appends(data, [len(data) // 2])
                r = ref_take_lines(data, eol, max_records)
                steps.append(step("peek_lines", texts(r[1]), eol=eol, max_records=max_records))
                steps.append(step("take_lines", texts(r[1]), eol=eol, max_records=max_records))
                steps.append(step("contents", data[r[2]:]))
                cases.append({"name": "take_lines %s input %d max %d" % (eol, idx, max_records), "steps": steps})
    for delim in (b"\r\n", b"|", b"ab"):
        data = b"x|yab|\r\nzz\r\n|ab" + delim
        for max_len in (0, 2):
            r = ref_take_records(data, delim, 100, max_len)
            peek = step("peek_records", *(r[1:2] if r[0] == "ok" else ()),
                        error=r[1] if r[0] == "error" else None, delim=delim, max_records=100)
            take = step("take_records", *(r[1:2] if r[0] == "ok" else ()),
                        error=r[1] if r[0] == "error" else None, delim=delim, max_records=100)
            if r[0] == "ok":
                peek["expect"] = take["expect"] = texts(r[1])
            if max_len:
                peek["max_len"] = take["max_len"] = max_len
            rest = data[r[2]:] if r[0] == "ok" else data
            cases.append({"name": "records by %r max_len %d" % (delim.decode(), max_len),
                          "steps": appends(data, [3, 7]) + [peek, take, step("contents", rest)]})
    return {"description": "Lines in every end-of-line style (one by one, batched and peeked), over whole "
                           "and byte-by-byte input, with and without a length limit; records by delimiter",
            "cases": cases}


def buffer_ops():
    cases = []
    data = b"0123456789abcdef"
    for cuts in ([], [4, 9]):
        tag = "%d pieces" % (len(cuts) + 1)
        for n in (0, 1, 7, 16, 17):
            ok = n <= len(data)
            cases.append({"name": "advance %d of %s" % (n, tag), "steps": appends(data, cuts) + [
                step("advance", None, None if ok else "range", n=n),
                step("contents", data[n:] if ok else data)]})
            cases.append({"name": "read %d of %s" % (n, tag), "steps": appends(data, cuts) + [
                step("read", data[:n], n=n), step("len", len(data) - min(n, len(data)))]})
            cases.append({"name": "split_to %d of %s" % (n, tag), "steps": appends(data, cuts) + ([
                step("split_to", data[:n], n=n, **{"as": "v"}), step("view_len", n, view="v"),
                step("append", None, data=b"!"), step("view_bytes", data[:n], view="v"),
                step("contents", data[n:] + b"!")] if ok else [
                step("split_to", error="range", n=n), step("contents", data)])})
            cases.append({"name": "coalesce %d of %s" % (n, tag), "steps": appends(data, cuts) + [
                step("coalesce", data[:n] if ok else None, None if ok else "range", n=n),
                step("contents", data)]})
        for off, n in ((0, 16), (3, 4), (15, 5), (16, 1), (17, 1)):
            ok = off <= len(data)
            cases.append({"name": "copy_out %d+%d of %s" % (off, n, tag), "steps": appends(data, cuts) + [
                step("copy_out", data[off:off + n] if ok else None, None if ok else "range", offset=off, n=n),
                step("len", len(data))]})
        for delim, include in ((b"9a", False), (b"9a", True), (b"f", True), (b"0", False), (b"zz", False)):
            i = data.find(delim)
            s = appends(data, cuts)
            if i < 0:
                s += [step("take_until", error="need_more", delim=delim, include=include),
                      step("contents", data)]
            else:
                s += [step("take_until", data[:i + (len(delim) if include else 0)], delim=delim, include=include),
                      step("contents", data[i + len(delim):])]
            cases.append({"name": "take_until %r include %s of %s" % (delim.decode(), include, tag), "steps": s})
        for max_len in (3, 8, 9):
            i = data.find(b"8")
            s = appends(data, cuts)
            if i > max_len:
                s += [step("take_until", error="limit", delim=b"8", include=False, max_len=max_len),
                      step("contents", data)]
            else:
                s += [step("take_until", data[:i], delim=b"8", include=False, max_len=max_len)]
            cases.append({"name": "take_until max_len %d of %s" % (max_len, tag), "steps": s})
        cases.append({"name": "equals of %s" % tag, "steps": appends(data, cuts) + [
            step("equals", True, data=data), step("equals", False, data=data[:-1]),
            step("equals", False, data=data + b"x"), step("equals", False, data=b"1" + data[1:])]})
    raw = bytes(range(1, 17))
    for cuts in ([], [1, 3, 7]):
        steps = appends(raw, cuts)
        for off in (0, 1, 5, 8, 9, 14, 15, 16):
            steps.append(step("peek_u8", *((raw[off],) if off < 16 else ()),
                              error=None if off < 16 else "need_more", offset=off))
            for width, name in ((2, "peek_u16"), (4, "peek_u32"), (8, "peek_u64")):
                for order in ("be", "le"):
                    if off + width <= 16:
                        v = int.from_bytes(raw[off:off + width], "big" if order == "be" else "little")
                        steps.append(step(name, v, offset=off, order=order))
                    else:
                        steps.append(step(name, error="need_more", offset=off, order=order))
        steps.append(step("contents", raw))
        cases.append({"name": "typed peeks over %d pieces" % (len(cuts) + 1), "steps": steps})
    # consuming binary readers: exactly what they read, or need_more and
    # nothing consumed
    for cuts in ([], [1, 2, 3, 5, 8, 13]):
        steps, rest = appends(raw, cuts), raw
        for width, order in ((1, "be"), (2, "be"), (2, "le"), (4, "be"), (4, "le"), (8, "le"), (8, "be")):
            if len(rest) >= width:
                v = int.from_bytes(rest[:width], "big" if order == "be" else "little")
                steps.append(step("read_uint", v, width=width, order=order))
                rest = rest[width:]
            else:
                steps.append(step("read_uint", error="need_more", width=width, order=order))
                steps.append(step("len", len(rest)))
        steps += [step("peek_exact", rest[:1], n=1) if rest else step("peek_exact", error="need_more", n=1),
                  step("read_exact", error="need_more", n=len(rest) + 1), step("contents", rest),
                  step("read_exact", rest, n=len(rest)), step("read_uint", error="need_more", width=1, order="be"),
                  step("read_exact", b"", n=0), step("peek_exact", b"", n=0), step("append", None, data=b"xy"),
                  step("peek_exact", b"xy", n=2), step("read_exact", b"x", n=1), step("contents", b"y")]
        cases.append({"name": "binary readers over %d pieces" % (len(cuts) + 1), "steps": steps})
    cases.append({"name": "binary readers and reservations", "steps": [
        step("append", None, data=b"\x01\x02abc"), step("reserve", None, n=4),
        step("read_uint", error="state", width=1, order="be"), step("read_exact", error="state", n=1),
        step("peek_exact", b"\x01\x02", n=2), step("commit_count", None, n=0),
        step("read_uint", 258, width=2, order="be"), step("read_exact", b"abc", n=3)]})
    cases.append({"name": "read_uint of an invalid width", "steps": [
        step("append", None, data=b"abc"), step("read_uint", error="inval", width=3, order="be"), step("len", 3)]})
    high = bytes([0xff] * 8)
    cases.append({"name": "u64 with the top bit set", "steps": [
        step("append", None, data=high),
        step("peek_u64", 0xffffffffffffffff, offset=0, order="be"),
        step("peek_u32", 0xffffffff, offset=4, order="le")]})
    # limits: a failed append leaves the bytes
    for op in ("append", "append_ref"):
        cases.append({"name": "max_bytes on %s" % op, "buffer": {"max_bytes": 8}, "steps": [
            step(op, None, data=b"12345"), step(op, None, error="limit", data=b"6789"),
            step("contents", b"12345"), step(op, None, data=b"678"), step(op, None, error="limit", data=b"9"),
            step("advance", None, n=2), step(op, None, data=b"ab"), step("contents", b"345678ab")]})
    cases.append({"name": "max_bytes on append_view", "buffer": {"max_bytes": 4}, "steps": [
        step("view_from_bytes", b"abcde", data=b"abcde", **{"as": "v"}),
        step("append_view", None, error="limit", view="v"), step("len", 0),
        step("view_from_bytes", b"abcd", data=b"abcd", **{"as": "w"}),
        step("append_view", None, view="w"), step("contents", b"abcd")]})
    cases.append({"name": "max_bytes on reserve", "buffer": {"max_bytes": 10}, "steps": [
        step("append", None, data=b"1234"), step("reserve", None, error="limit", n=7),
        step("reserve", None, n=6), step("commit", None, data=b"56"), step("contents", b"123456")]})
    # reservations
    cases.append({"name": "reserve then commit", "steps": [
        step("append", None, data=b"ab"), step("reserve", None, n=4), step("len", 2),
        step("commit", None, data=b"cdef"), step("contents", b"abcdef"), step("len", 6)]})
    cases.append({"name": "commit fewer than reserved", "steps": [
        step("reserve", None, n=100), step("commit", None, data=b"xy"), step("contents", b"xy")]})
    cases.append({"name": "commit zero cancels", "steps": [
        step("append", None, data=b"ab"), step("reserve", None, n=10), step("commit_count", None, n=0),
        step("contents", b"ab"), step("append", None, data=b"c"), step("contents", b"abc")]})
    cases.append({"name": "no reservation to commit", "steps": [
        step("commit", None, error="state", data=b"x"), step("commit_count", None, error="state", n=0),
        step("append", None, data=b"a"), step("contents", b"a")]})
    cases.append({"name": "commit past the reservation keeps it open", "steps": [
        step("reserve", None, n=8), step("commit_count", None, error="range", n=1 << 30),
        step("commit", None, data=b"late"), step("contents", b"late")]})
    blocked = [step("reserve", None, error="state", n=1), step("append", None, error="state", data=b"x"),
               step("append_ref", None, error="state", data=b"x"), step("advance", None, error="state", n=1),
               step("read", None, error="state", n=1), step("split_to", None, error="state", n=1),
               step("take_until", None, error="state", delim=b"\n", include=False),
               step("take_line", None, error="state", eol="lf"),
               step("take_lines", None, error="state", eol="lf", max_records=4),
               step("take_records", None, error="state", delim=b"\n", max_records=4)]
    allowed = [step("len", 6), step("find", 3, needle=b"\n"), step("rfind", 3, needle=b"\n"),
               step("equals", True, data=b"abc\nde"), step("copy_out", b"c\nd", offset=2, n=3),
               step("peek_u8", 0x61, offset=0), step("peek_lines", ["abc"], eol="lf", max_records=4),
               step("peek_records", ["abc"], delim=b"\n", max_records=4)]
    cases.append({"name": "a reservation blocks every change", "steps": [
        step("append", None, data=b"abc\nde"), step("reserve", None, n=4)] + blocked + [
        step("contents", b"abc\nde"), step("commit", None, data=b"f\n"),
        step("take_lines", ["abc", "def"], eol="lf", max_records=4)]})
    cases.append({"name": "a reservation allows every look", "steps": [
        step("append", None, data=b"abc\nde"), step("reserve", None, n=4)] + allowed + [
        step("commit_count", None, n=0), step("take_line", b"abc", eol="lf")]})
    cases.append({"name": "append_view is zero copy and keeps the view", "steps": [
        step("view_from_bytes", b"hello", data=b"hello", **{"as": "v"}),
        step("append_view", None, view="v"), step("append_view", None, view="v"),
        step("contents", b"hellohello"), step("split_to", b"hel", n=3, **{"as": "h"}),
        step("view_bytes", b"hello", view="v"), step("read", b"lohello", n=100)]})
    cases.append({"name": "append of nothing", "steps": [
        step("append", None, data=b""), step("append_ref", None, data=b""), step("len", 0),
        step("take_lines", [], eol="lf", max_records=4)]})
    return {"description": "Buffer consume, inspect, typed peeks, limits and reservation states", "cases": cases}


def view_file():
    cases = []
    data = b"abcdefghij"
    for cuts in ([], [2, 5]):
        tag = "%d pieces" % (len(cuts) + 1)
        steps = appends(data, cuts) + [step("split_to", data, n=10, **{"as": "v"})]
        for start, end in ((0, None), (0, 10), (3, 7), (7, 3), (10, 10), (0, 0), (4, None), (10, None),
                           (11, None), (5, 11), (9, 10)):
            fields = {"view": "v", "start": start, "as": "s"}
            if end is not None:
                fields["end"] = end
            e = len(data) if end is None else end
            if start > e or e > len(data):
                steps.append(step("view_slice", error="range", **fields))
            else:
                steps.append(step("view_slice", data[start:e], **fields))
                steps.append(step("view_len", e - start, view="s"))
        cases.append({"name": "slices of %s" % tag, "steps": steps})
        steps = appends(data, cuts) + [step("split_to", data, n=10, **{"as": "v"})]
        for needle in (b"a", b"cd", b"ef", b"j", b"ij", b"jk", b"abcdefghij", b"x"):
            for start, end in ((0, None), (3, None), (0, 5), (10, None)):
                fields = {"view": "v", "needle": needle, "start": start}
                if end is not None:
                    fields["end"] = end
                steps.append(step("view_find", data.find(needle, start, len(data) if end is None else end),
                                  **fields))
        steps.append(step("view_find", error="range", view="v", needle=b"a", start=11))
        cases.append({"name": "find in a view of %s" % tag, "steps": steps})
        cases.append({"name": "contiguous of %s" % tag, "steps": appends(data, cuts) + [
            step("split_to", data, n=10, **{"as": "v"}),
            step("view_contiguous", data, view="v", **{"as": "c"}),
            step("view_segment_count", 1, view="c"), step("view_equals_view", True, view="c", other="v")]})
        cases.append({"name": "copy_out of a view of %s" % tag, "steps": appends(data, cuts) + [
            step("split_to", data, n=10, **{"as": "v"}),
            step("view_copy_out", b"bcdef", view="v", offset=1, n=5),
            step("view_copy_out", b"j", view="v", offset=9, n=5),
            step("view_copy_out", b"", view="v", offset=10, n=5),
            step("view_copy_out", error="range", view="v", offset=11, n=1)]})
    parts = [b"", b"ab", b"c", b"", b"defg"]
    steps = []
    for i, p in enumerate(parts):
        steps.append(step("view_from_bytes", p, data=p, **{"as": "p%d" % i}))
    for combo in ([0], [1], [1, 2], [0, 1, 0, 2, 3, 4], [4, 4], [2, 1, 2], []):
        steps.append(step("view_concat", b"".join(parts[i] for i in combo), views=["p%d" % i for i in combo],
                          **{"as": "c"}))
        steps.append(step("view_len", sum(len(parts[i]) for i in combo), view="c"))
    cases.append({"name": "concat of views", "steps": steps})
    cases.append({"name": "concat then slice across parts", "steps": [
        step("view_from_bytes", b"abc", data=b"abc", **{"as": "a"}),
        step("view_from_bytes", b"def", data=b"def", **{"as": "b"}),
        step("view_concat", b"abcdef", views=["a", "b"], **{"as": "c"}),
        step("view_segment_count", 2, view="c"),
        step("view_slice", b"cd", view="c", start=2, end=4, **{"as": "s"}),
        step("view_find", 2, view="c", needle=b"cd"),
        step("view_contiguous", b"abcdef", view="c", **{"as": "f"}),
        step("view_segment_count", 1, view="f")]})
    for kind in ("raw", "pcm16", "mulaw8", "jpeg", "conformance-kind"):
        cases.append({"name": "retag to %s" % kind, "steps": [
            step("view_from_bytes", b"xyz", data=b"xyz", **{"as": "v"}),
            step("view_kind", "raw", view="v"),
            step("view_retag", b"xyz", view="v", kind=kind, **{"as": "t"}),
            step("view_kind", kind, view="t"), step("view_kind", "raw", view="v"),
            step("view_slice", b"y", view="t", start=1, end=2, **{"as": "s"}),
            step("view_kind", kind, view="s"),
            step("view_concat", b"xyzxyz", views=["t", "v"], **{"as": "c"}),
            step("view_kind", kind, view="c")]})
    cases.append({"name": "built-in kinds have fixed ids", "steps": [
        step("view_from_bytes", b"xyz", data=b"xyz", **{"as": "v"})] + [
        s for kid, name in ((0, "raw"), (1, "pcm16"), (2, "mulaw8"), (3, "jpeg")) for s in (
            step("view_retag", b"xyz", view="v", kind_id=kid, **{"as": name}), step("view_kind", name, view=name))]})
    cases.append({"name": "retag to an unknown kind id", "steps": [
        step("view_from_bytes", b"xyz", data=b"xyz", **{"as": "v"}),
        step("view_retag", error="inval", view="v", kind_id=4000000000)]})
    cases.append({"name": "tenant of a buffer's views", "buffer": {"tenant": 7}, "steps": [
        step("append", None, data=b"abcdef"), step("split_to", b"abc", n=3, **{"as": "v"}),
        step("view_tenant", 7, view="v"), step("view_slice", b"b", view="v", start=1, end=2, **{"as": "s"}),
        step("view_tenant", 7, view="s"), step("view_from_bytes", b"q", data=b"q", **{"as": "f"}),
        step("view_tenant", 0, view="f")]})
    cases.append({"name": "sharers count the views of a block", "steps": [
        step("view_from_bytes", b"abcdef", data=b"abcdef", **{"as": "v"}),
        step("view_sharers", 1, view="v"),
        step("view_slice", b"abc", view="v", start=0, end=3, **{"as": "a"}),
        step("view_sharers", 2, view="v"),
        step("view_slice", b"def", view="v", start=3, **{"as": "b"}),
        step("view_sharers", 3, view="a"),
        step("view_release", None, view="a"), step("view_sharers", 2, view="v"),
        step("view_release", None, view="b"), step("view_sharers", 1, view="v"),
        step("view_from_bytes", b"", data=b"", **{"as": "e"}), step("view_sharers", 0, view="e")]})
    cases.append({"name": "a clone is one more live sharer", "steps": [
        step("view_from_bytes", b"abc", data=b"abc", **{"as": "v"}),
        step("view_clone", b"abc", view="v", **{"as": "c"}),
        step("view_sharers", 2, view="v"), step("view_sharers", 2, view="c"),
        step("view_slice", b"b", view="c", start=1, end=2, **{"as": "s"}),
        step("view_sharers", 3, view="v"),
        step("view_release", None, view="c"), step("view_sharers", 2, view="v"),
        step("view_bytes", b"abc", view="v"), step("view_release", None, view="s"),
        step("view_sharers", 1, view="v")]})
    for payload in (b"", b"abc", bytes(range(256)) * 3):
        digest = hashlib.sha256(payload).digest()
        cuts = [1, 64, 65, 300] if len(payload) > 300 else []
        cases.append({"name": "sha256 of %d bytes" % len(payload), "steps": appends(payload, cuts) + [
            step("split_to", payload, n=len(payload), **{"as": "v"}), step("view_sha256", digest, view="v")]})
    cases.append({"name": "equals and equals_view", "steps": [
        step("view_from_bytes", b"abc", data=b"abc", **{"as": "a"}),
        step("view_from_bytes", b"abc", data=b"abc", **{"as": "b"}),
        step("view_from_bytes", b"abd", data=b"abd", **{"as": "c"}),
        step("view_equals_view", True, view="a", other="b"), step("view_equals_view", False, view="a", other="c"),
        step("view_equals", True, view="a", data=b"abc"), step("view_equals", False, view="a", data=b"ab")]})
    return {"description": "View slice, find, copy_out, concat, contiguous, kinds, tenant, sharers, sha256",
            "cases": cases}


def framer_cases(kind, specs):
    cases = []
    for name, spec, data, final in specs:
        if kind == "delimiter":
            delims = [d.encode("latin-1") for d in spec["delimiters"]]
            frames, err = ref_delimiter_frames(data, delims, spec.get("max_frame", 0),
                                               spec.get("include_delimiter", False), final)
        else:
            frames, err = ref_length_frames(data, spec.get("length_width", 4), spec.get("order", "be"),
                                            spec.get("length_offset", 0), spec.get("length_adjust", 0),
                                            spec.get("strip"), spec.get("max_frame", 0), final)
        s = dict(op="frame_all_cuts", final=final, expect=texts(frames), **text_or_hex("input", data))
        if err:
            s["expect_error"] = err
        cases.append({"name": name, "framer": dict(type=kind, **spec), "steps": [s]})
    return cases


def framers():
    dl = lambda *d: {"delimiters": list(d)}  # noqa: E731
    specs = [
        ("crlf lines", dl("\r\n"), b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", True),
        ("crlf or lf, longest wins", dl("\r\n", "\n"), b"a\r\nb\nc\r\n\nd", True),
        ("lf or crlf, longest wins whatever the order", dl("\n", "\r\n"), b"a\r\nb\nc", True),
        ("cr or crlf held back before EOF", dl("\r", "\r\n"), b"a\rb\r\nc\r", True),
        ("multi-byte delimiter", dl("--"), b"x--yy---z", True),
        ("overlapping delimiters", dl("ab", "abc"), b"1abc2ab3abab", True),
        ("no delimiter at all", dl("|"), b"just bytes", True),
        ("empty frames", dl("|"), b"||a||", True),
        ("include delimiter", dict(dl("\r\n", "\n"), include_delimiter=True), b"a\r\nb\nc", True),
        ("nul delimiter", {"delimiters_hex": ["00"]}, b"a\0bc\0\0", True),
        ("max frame ok", dict(dl("\n"), max_frame=3), b"abc\nde\n", True),
        ("max frame exceeded", dict(dl("\n"), max_frame=3), b"abc\nabcd\nx", True),
        ("no EOF keeps the tail", dl("\n"), b"a\nb\nrest", False),
        ("no EOF with a partial delimiter", dl("\r\n"), b"a\r\nb\r", False),
    ]
    fixed = []
    for name, spec, data, final in specs:
        if "delimiters_hex" in spec:
            spec = {"delimiters": [bytes.fromhex(h).decode("latin-1") for h in spec["delimiters_hex"]]}
        fixed.append((name, spec, data, final))
    delim = framer_cases("delimiter", fixed)
    lp = length_prefixed
    specs = [
        ("u8 be", {"length_width": 1}, lp(b"abc", 1) + lp(b"", 1) + lp(b"xy", 1), True),
        ("u16 be", {"length_width": 2}, lp(b"hello", 2) + lp(b"w", 2), True),
        ("u16 le", {"length_width": 2, "order": "le"}, lp(b"hello", 2, "le") + lp(b"w", 2, "le"), True),
        ("u32 be", {"length_width": 4}, lp(b"frame one", 4) + lp(b"2", 4), True),
        ("u32 le", {"length_width": 4, "order": "le"}, lp(b"frame one", 4, "le"), True),
        ("u64 be", {"length_width": 8}, lp(b"eight", 8) + lp(b"", 8), True),
        ("u64 le", {"length_width": 8, "order": "le"}, lp(b"eight", 8, "le"), True),
        ("header before the field", {"length_width": 2, "length_offset": 3},
         lp(b"body", 2, offset=3, header=b"HDR") + lp(b"b2", 2, offset=3, header=b"h2!"), True),
        ("length counts itself", {"length_width": 4, "length_adjust": -4},
         lp(b"abc", 4, adjust=-4) + lp(b"", 4, adjust=-4), True),
        ("keep the header", {"length_width": 2, "strip": 0}, lp(b"ab", 2) + lp(b"c", 2), True),
        ("strip part of the header", {"length_width": 2, "length_offset": 2, "strip": 2},
         lp(b"pay", 2, offset=2, header=b"ID"), True),
        ("max frame ok", {"length_width": 1, "max_frame": 3}, lp(b"abc", 1) + lp(b"d", 1), True),
        ("max frame exceeded", {"length_width": 1, "max_frame": 3}, lp(b"ab", 1) + lp(b"abcd", 1), True),
        ("truncated at EOF", {"length_width": 2}, lp(b"abc", 2) + lp(b"defg", 2)[:-1], True),
        ("truncated header at EOF", {"length_width": 4}, lp(b"abc", 4) + b"\0\0", True),
        ("below the adjustment", {"length_width": 1, "length_adjust": -2}, b"\x01x", True),
        ("no EOF keeps a partial frame", {"length_width": 2}, lp(b"abc", 2) + lp(b"defg", 2)[:-2], False),
    ]
    length = framer_cases("length", specs)
    batch = [{"name": "delimiter batch", "framer": {"type": "delimiter", "delimiters": ["\n"]}, "steps": [
        step("append", None, data=b"a\nbb\nccc\nd"),
        step("frame_batch", ["a", "bb"], final=False, max_records=2),
        step("frame_batch", ["ccc"], final=False, max_records=8),
        step("frame_batch", [], final=False, max_records=8),
        step("frame_next", error="need_more", final=False),
        step("frame_next", b"d", final=True), step("frame_next", error="need_more", final=True)]},
        {"name": "length batch", "framer": {"type": "length", "length_width": 1}, "steps": [
            step("append", None, data=lp(b"one", 1) + lp(b"two", 1) + b"\x05ab"),
            step("frame_batch", ["one", "two"], final=False, max_records=8),
            step("frame_next", error="need_more", final=False),
            step("frame_next", error="inval", final=True), step("contents", b"\x05ab")]},
        {"name": "encode with a length prefix", "framer": {"type": "length", "length_width": 2}, "steps": [
            step("frame_encode", None, data=b"abc"), step("frame_encode", None, data=b""),
            step("contents", lp(b"abc", 2) + lp(b"", 2)),
            step("frame_next", b"abc", final=False), step("frame_next", b"", final=False)]},
        {"name": "encode past the field width", "framer": {"type": "length", "length_width": 1}, "steps": [
            step("frame_encode", None, error="limit", data=b"x" * 256), step("len", 0)]},
        {"name": "encode with a delimiter", "framer": {"type": "delimiter", "delimiters": ["\r\n", "\n"]},
         "steps": [step("frame_encode", None, data=b"abc"), step("contents", b"abc\r\n"),
                   step("frame_encode", None, error="inval", data=b"a\nb"), step("contents", b"abc\r\n")]},
        {"name": "encode past max_frame", "framer": {"type": "delimiter", "delimiters": ["|"], "max_frame": 2},
         "steps": [step("frame_encode", None, error="limit", data=b"abc"), step("frame_encode", None, data=b"ab"),
                   step("contents", b"ab|")]},
    ]
    bad = []
    for name, spec in (("no delimiters", {"type": "delimiter", "delimiters": []}),
                       ("empty delimiter", {"type": "delimiter", "delimiters": [""]}),
                       ("width 3", {"type": "length", "length_width": 3}),
                       ("strip past the field", {"type": "length", "length_width": 2, "strip": 3})):
        bad.append({"name": "invalid framer: " + name,
                    "steps": [dict(op="framer_new", framer=spec, expect_error="inval")]})
    return ({"description": "Delimiter framer: every cut point of each input gives the same frames",
             "cases": delim},
            {"description": "Length-prefixed framer: every cut point of each input gives the same frames",
             "cases": length},
            {"description": "Framer batches, encoding and invalid configurations", "cases": batch + bad})


def ring_file():
    cases = []
    for cap in (1, 4, 7):
        steps, model = [], b""
        for i, chunk in enumerate([b"ab", b"cdef", b"", b"ghijk"]):
            fit = chunk[:cap - len(model)]
            steps.append(step("ring_write", len(fit), data=chunk))
            model += fit
            steps.append(step("ring_available", len(model)))
            steps.append(step("ring_remaining", cap - len(model)))
            steps.append(step("ring_peek", model[:3], n=3))
            take = model[:2 + i % 2]
            steps.append(step("ring_read", take, n=2 + i % 2))
            model = model[len(take):]
        steps.append(step("ring_capacity", cap))
        steps.append(step("ring_read", model, n=100))
        steps.append(step("ring_available", 0))
        cases.append({"name": "capacity %d" % cap, "ring": {"capacity": cap}, "steps": steps})
    cases.append({"name": "wrap around", "ring": {"capacity": 5}, "steps": [
        step("ring_write", 4, data=b"abcd"), step("ring_read", b"abc", n=3),
        step("ring_write", 4, data=b"efgh"), step("ring_peek", b"defgh", n=10),
        step("ring_read", b"defgh", n=10), step("ring_read", b"", n=1), step("ring_remaining", 5)]})
    for cap in (0, (1 << 30) + 1):
        cases.append({"name": "capacity %d is invalid" % cap,
                      "steps": [dict(op="ring_new", capacity=cap, expect_error="inval")]})
    return {"description": "Ring: bounded writes, reads and peeks with wrap-around", "cases": cases}


def pool_file():
    cases = [
        {"name": "a fresh pool", "pool": {}, "steps": [
            step("pool_stats", {"acquisitions": 0, "releases": 0, "bytes_in_use": 0, "external_blocks": 0,
                                "direct_allocations": 0})]},
        {"name": "one block in use and back", "pool": {}, "steps": [
            step("append", None, data=b"abc"),
            step("pool_stats", {"acquisitions": 1, "releases": 0, "bytes_in_use": 4096}),
            step("advance", None, n=3), step("free_buffer", None),
            step("pool_stats", {"acquisitions": 1, "releases": 1, "bytes_in_use": 0})]},
        {"name": "a view keeps its block", "pool": {}, "steps": [
            step("append", None, data=b"abcdef"), step("split_to", b"abcdef", n=6, **{"as": "v"}),
            step("free_buffer", None), step("pool_stats", {"bytes_in_use": 4096, "releases": 0}),
            step("view_release", None, view="v"), step("pool_stats", {"bytes_in_use": 0, "releases": 1})]},
        {"name": "the second block comes from the cache", "pool": {}, "steps": [
            step("append", None, data=b"x"), step("free_buffer", None), step("new_buffer", None),
            step("append", None, data=b"y"),
            step("pool_stats", {"acquisitions": 2, "releases": 1, "hits": [1, 0, 0, 0, 0, 0, 0, 0, 0],
                                "misses": [1, 0, 0, 0, 0, 0, 0, 0, 0]})]},
        {"name": "trim empties the caches", "pool": {}, "steps": [
            step("append", None, data=b"x"), step("free_buffer", None), step("pool_trim", None),
            step("pool_stats", {"bytes_cached": 0, "cached_blocks": [0, 0, 0, 0, 0, 0, 0, 0, 0]})]},
        {"name": "an oversize block is allocated directly", "pool": {}, "buffer": {"min_chunk": 2 << 20},
         "steps": [step("append", None, data=b"big"),
                   step("pool_stats", {"direct_allocations": 1, "acquisitions": 1}),
                   step("free_buffer", None), step("pool_stats", {"bytes_in_use": 0, "releases": 1})]},
        {"name": "view_from_bytes draws from the pool", "pool": {}, "steps": [
            step("view_from_bytes", b"abc", data=b"abc", pool=True, **{"as": "v"}),
            step("pool_stats", {"acquisitions": 1, "bytes_in_use": 4096}),
            step("view_release", None, view="v"), step("pool_stats", {"bytes_in_use": 0})]},
        {"name": "min_chunk picks the size class", "pool": {}, "buffer": {"min_chunk": 16384}, "steps": [
            step("append", None, data=b"abc"),
            step("pool_stats", {"bytes_in_use": 16384, "misses": [0, 0, 1, 0, 0, 0, 0, 0, 0]})]},
        {"name": "tenant usage follows the blocks", "pool": {}, "buffer": {"tenant": 3}, "steps": [
            step("pool_tenant_usage", 0, tenant=3), step("append", None, data=b"abc"),
            step("pool_tenant_usage", 4096, tenant=3), step("free_buffer", None),
            step("pool_tenant_usage", 0, tenant=3)]},
        {"name": "tenant quota", "pool": {"tenant_quota": [5, 4096]}, "buffer": {"tenant": 5}, "steps": [
            step("append", None, data=b"a" * 4000), step("append", None, error="limit", data=b"b" * 200),
            step("len", 4000), step("pool_tenant_usage", 4096, tenant=5)]},
    ]
    return {"description": "Pool statistics of a private pool after buffer and view operations", "cases": cases}


def ref_optimal_buffer_size(total, lo=0, hi=0):
    """The FASTQ module's heuristic: total / 100 clamped, in 4 KiB pages."""
    lo = lo or 8192
    hi = hi or max(65536, lo)
    return (min(max(total // 100, lo), hi) + 4095) // 4096 * 4096


def builder_pool_file():
    def no_tenant_name(view):  # "" stands for "no name", as -1 for "absent"
        return {"op": "view_tenant_name", "view": view, "expect": ""}

    kinds = ["raw", "pcm16", "mulaw8", "jpeg"]
    cases = []
    for kind in kinds:
        cases.append({"name": "from_bytes with kind %s" % kind, "steps": [
            step("view_from_bytes_kind", b"\x01\x02\x03", data=b"\x01\x02\x03", kind=kind, **{"as": "v"}),
            step("view_kind", kind.encode(), view="v"),
            step("view_slice", b"\x02", view="v", start=1, end=2, **{"as": "s"}),
            step("view_kind", kind.encode(), view="s")]})
    cases += [
        {"name": "from_bytes with an unknown kind name", "steps": [
            step("view_from_bytes_kind", error="inval", data=b"x", kind="conformance-never-registered")]},
        {"name": "from_bytes with a kind draws from the pool", "pool": {}, "steps": [
            step("view_from_bytes_kind", b"abc", data=b"abc", kind="jpeg", pool=True, **{"as": "v"}),
            step("pool_stats", {"acquisitions": 1, "bytes_in_use": 4096}),
            step("view_release", None, view="v"), step("pool_stats", {"bytes_in_use": 0})]},
        {"name": "with_tenant tags a new view; slices and clones inherit it", "steps": [
            step("view_from_bytes", b"abcdef", data=b"abcdef", **{"as": "v"}),
            no_tenant_name("v"),
            step("view_with_tenant", b"abcdef", view="v", tenant="conformance-alpha", **{"as": "a"}),
            step("view_tenant_name", "conformance-alpha", view="a"),
            no_tenant_name("v"),
            step("view_slice", b"bcd", view="a", start=1, end=4, **{"as": "s"}),
            step("view_tenant_name", "conformance-alpha", view="s"),
            step("view_clone", b"abcdef", view="a", **{"as": "c"}),
            step("view_tenant_name", "conformance-alpha", view="c"),
            step("view_with_tenant", b"bcd", view="s", tenant="conformance-beta", **{"as": "b"}),
            step("view_tenant_name", "conformance-beta", view="b"),
            step("view_tenant_name", "conformance-alpha", view="s")]},
        {"name": "with_tenant needs a name", "steps": [
            step("view_from_bytes", b"x", data=b"x", **{"as": "v"}),
            step("view_with_tenant", error="inval", view="v", tenant="")]},
        {"name": "a buffer's named tenant tags the views cut from it", "buffer": {"tenant": "conformance-gamma"},
         "steps": [step("append", None, data=b"hello"), step("split_to", b"he", n=2, **{"as": "v"}),
                   step("view_tenant_name", "conformance-gamma", view="v")]},
        {"name": "builder: capacity taken ahead, freeze empties it", "pool": {}, "steps": [
            step("capacity", 0), step("ensure_capacity", None, n=5000), step("capacity", 8192),
            step("pool_stats", {"acquisitions": 1, "bytes_in_use": 8192}),
            step("append", None, data=b"hello "), step("append", None, data=b"world"), step("capacity", 8192),
            step("freeze", b"hello world", kind="pcm16", **{"as": "v"}),
            step("view_kind", b"pcm16", view="v"), step("len", 0),
            step("pool_stats", {"acquisitions": 1}),
            step("append", None, data=b"XXXXX"), step("view_bytes", b"hello world", view="v")]},
        {"name": "builder: an empty freeze", "steps": [
            step("freeze", b"", kind="raw", **{"as": "v"}), step("view_len", 0, view="v")]},
        {"name": "builder: freeze with an unknown kind changes nothing", "steps": [
            step("append", None, data=b"abc"),
            step("freeze", error="inval", kind="conformance-never-registered"), step("contents", b"abc")]},
        {"name": "builder: ensure_capacity within max_bytes", "buffer": {"max_bytes": 100}, "steps": [
            step("ensure_capacity", error="limit", n=101), step("capacity", 0),
            step("ensure_capacity", None, n=100), step("capacity", 4096)]},
        {"name": "pool get: one block of the size class, back on free", "pool": {}, "steps": [
            step("pool_get", None, size=5000), step("capacity", 8192),
            step("pool_stats", {"acquisitions": 1, "bytes_in_use": 8192}),
            step("append", None, data=b"@seq\nACGT\n+\nIIII\n"), step("read", b"@seq\n", n=5),
            step("append", error="limit", data=b"x" * 8192), step("free_buffer", None),
            step("pool_stats", {"releases": 1, "bytes_in_use": 0, "cached_blocks": [0, 1, 0, 0, 0, 0, 0, 0, 0]}),
            step("pool_get", None, size=8192),
            step("pool_stats", {"acquisitions": 2, "hits": [0, 1, 0, 0, 0, 0, 0, 0, 0]})]},
        {"name": "pool get: sizes no class holds", "pool": {}, "steps": [
            step("pool_get", error="inval", size=0), step("pool_get", error="inval", size=(1 << 20) + 1),
            step("pool_stats", {"acquisitions": 0})]},
        {"name": "prewarm: blocks cached at once, then hits", "pool": {}, "steps": [
            step("pool_prewarm", None, size=16384, count=4),
            step("pool_stats", {"acquisitions": 0, "bytes_in_use": 0, "bytes_cached": 4 * 16384,
                                "cached_blocks": [0, 0, 4, 0, 0, 0, 0, 0, 0]}),
            step("pool_get", None, size=10000),
            step("pool_stats", {"acquisitions": 1, "hits": [0, 0, 1, 0, 0, 0, 0, 0, 0],
                                "misses": [0, 0, 0, 0, 0, 0, 0, 0, 0]})]},
        {"name": "prewarm: bounded by the class's cache", "pool": {"max_cached_bytes_per_class": 8 * 4096},
         "steps": [step("pool_prewarm", error="limit", size=4096, count=9),
                   step("pool_stats", {"cached_blocks": [0, 0, 0, 0, 0, 0, 0, 0, 0]}),
                   step("pool_prewarm", None, size=4096, count=8),
                   step("pool_stats", {"cached_blocks": [8, 0, 0, 0, 0, 0, 0, 0, 0]}),
                   step("pool_prewarm", error="inval", size=0, count=1)]},
    ]
    for total, lo, hi in [(0, 0, 0), (819200, 0, 0), (999999, 0, 0), (1000001, 0, 0), (2000000, 0, 0),
                          (6553600, 0, 0), (1 << 40, 0, 0), (5000000, 4096, 30000), (100, 100000, 0),
                          (50000, 4096, 4096)]:
        cases.append({"name": "optimal_buffer_size(%d, %d, %d)" % (total, lo, hi), "steps": [
            step("optimal_buffer_size", ref_optimal_buffer_size(total, lo, hi), total=total, min=lo, max=hi)]})
    cases.append({"name": "optimal_buffer_size with min above max", "steps": [
        step("optimal_buffer_size", error="inval", total=1, min=9000, max=8192)]})
    return {"description": "Builders, pooled buffers and names (axon, FASTQ): from_bytes with a kind, tenant "
                           "names on views, capacity / ensure_capacity / freeze, pool get and prewarm, the "
                           "buffer-size heuristic", "cases": cases}


def stream_file():
    cases = []
    cases.append({"name": "write, read, EOF", "stream": {}, "steps": [
        step("stream_write", None, data=b"hello world"), step("stream_readable_amount", 11),
        step("stream_read", b"hello", n=5), step("stream_at_eof", False), step("stream_tell", 5),
        step("stream_write_eof", None), step("stream_read", b" world", n=100),
        step("stream_at_eof", True), step("stream_read", b"", n=10), step("stream_tell", 11)]})
    cases.append({"name": "read1 takes what is there", "stream": {}, "steps": [
        step("stream_write", None, data=b"abc"), step("stream_read1", b"abc", n=10),
        step("stream_write", None, data=b"defg"), step("stream_read1", b"de", n=2),
        step("stream_read1", b"fg", n=2), step("stream_write_eof", None), step("stream_read1", b"", n=5)]})
    cases.append({"name": "read_nonblock", "stream": {}, "steps": [
        step("stream_read_nonblock", error="again", n=4), step("stream_write", None, data=b"xy"),
        step("stream_read_nonblock", b"xy", n=4), step("stream_read_nonblock", error="again", n=4),
        step("stream_write_eof", None), step("stream_read_nonblock", b"", n=4)]})
    lines = b"first\nsecond\r\n\nlast"
    cases.append({"name": "readline keeps the newline", "stream": {}, "steps": [
        step("stream_write", None, data=lines), step("stream_readline", b"first\n"),
        step("stream_readline", b"second\r\n"), step("stream_readline", b"\n"),
        step("stream_write_eof", None), step("stream_readline", b"last"), step("stream_readline", b"")]})
    cases.append({"name": "readline with a size limit", "stream": {}, "steps": [
        step("stream_write", None, data=b"abcdefgh\nij\n"), step("stream_readline", b"abc", max=3),
        step("stream_readline", b"defgh\n", max=100), step("stream_readline", b"ij\n", max=3)]})
    cases.append({"name": "write after EOF", "stream": {}, "steps": [
        step("stream_write", None, data=b"a"), step("stream_write_eof", None), step("stream_write_eof", None),
        step("stream_write", None, error="closed", data=b"b"), step("stream_read", b"a", n=5)]})
    cases.append({"name": "abort drops the bytes", "stream": {}, "steps": [
        step("stream_write", None, data=b"abc"), step("stream_abort", None, code=42),
        step("stream_read", error="aborted", n=1), step("stream_readline", error="aborted"),
        step("stream_write", None, error="aborted", data=b"x"), step("stream_readable_amount", 0),
        step("stream_at_eof", False), step("stream_find", error="aborted", needle=b"a"),
        step("stream_write_eof", None, error="aborted"), step("stream_abort", None, code=7)]})
    cases.append({"name": "abort after EOF", "stream": {}, "steps": [
        step("stream_write", None, data=b"abc"), step("stream_write_eof", None), step("stream_abort", None, code=1),
        step("stream_read", error="aborted", n=1)]})
    cases.append({"name": "find from the read position", "stream": {}, "steps": [
        step("stream_write", None, data=b"key: value\r\n\r\nbody"), step("stream_find", 10, needle=b"\r\n"),
        step("stream_find", 10, needle=b"\r\n\r\n"), step("stream_find", -1, needle=b"zz"),
        step("stream_find", 12, needle=b"\r\n", start=11), step("stream_find", -1, needle=b"body", end=17),
        step("stream_read", b"key: ", n=5), step("stream_find", 0, needle=b"value"),
        step("stream_find", error="range", needle=b"v", start=100)]})
    cases.append({"name": "content_length closes the stream", "stream": {"content_length": 6}, "steps": [
        step("stream_write", None, data=b"abc"), step("stream_at_eof", False),
        step("stream_write", None, error="limit", data=b"defg"), step("stream_write", None, data=b"def"),
        step("stream_write", None, error="limit", data=b"g"), step("stream_read", b"abcdef", n=100),
        step("stream_at_eof", True)]})
    cases.append({"name": "max_bytes", "stream": {"max_bytes": 4}, "steps": [
        step("stream_write", None, data=b"abc"), step("stream_write", None, error="limit", data=b"de"),
        step("stream_read", b"ab", n=2), step("stream_write", None, data=b"de"),
        step("stream_read_nonblock", b"cde", n=10)]})
    seek = [step("stream_write", None, data=b"0123456789"), step("stream_read", b"0123", n=4),
            step("stream_seek", 1, offset=1, whence="set"), step("stream_tell", 1),
            step("stream_read", b"12", n=2), step("stream_seek", 5, offset=2, whence="cur"),
            step("stream_seek", 2, offset=-3, whence="cur"),
            step("stream_seek", error="range", offset=-3, whence="set"),
            step("stream_seek", error="range", offset=11, whence="set"), step("stream_tell", 2),
            step("stream_seek", error="state", offset=0, whence="end"), step("stream_write_eof", None),
            step("stream_seek", 8, offset=-2, whence="end"), step("stream_read", b"89", n=10),
            step("stream_seek", 0, offset=0, whence="set"), step("stream_read", b"0123456789", n=100),
            step("stream_seek", 10, offset=0, whence="end")]
    cases.append({"name": "retained seek and tell", "stream": {"retain": True}, "steps": seek})
    cases.append({"name": "seek needs retention", "stream": {}, "steps": [
        step("stream_write", None, data=b"abc"), step("stream_seek", error="state", offset=0, whence="set"),
        step("stream_read", b"abc", n=3)]})
    cases.append({"name": "empty writes", "stream": {}, "steps": [
        step("stream_write", None, data=b""), step("stream_readable_amount", 0),
        step("stream_read_nonblock", error="again", n=1), step("stream_write_eof", None),
        step("stream_write", None, error="closed", data=b""), step("stream_at_eof", True)]})
    for n in (1, 3, 7, 20):
        data = b"the quick brown fox\n"
        steps = [step("stream_write", None, data=data), step("stream_write_eof", None)]
        rest = data
        while rest:
            steps.append(step("stream_read", rest[:n], n=n))
            rest = rest[n:]
        steps.append(step("stream_read", b"", n=n))
        cases.append({"name": "reads of %d bytes" % n, "stream": {}, "steps": steps})
    return {"description": "Stream as single-threaded sequences (no call here ever waits)", "cases": cases}


CODES = [
    (-1, "inval", "InvalidArgumentError", "ValueError", "ErrInval"),
    (-2, "handle", "HandleError", "ValueError", "ErrHandle"),
    (-3, "nomem", "OutOfMemoryError", "MemoryError", "ErrNoMem"),
    (-4, "limit", "LimitError", "ValueError", "ErrLimit"),
    (-5, "state", "StateError", "RuntimeError", "ErrState"),
    (-6, "need_more", "NeedMoreData", "Exception", "ErrNeedMore"),
    (-7, "closed", "ClosedError", "ValueError", "ErrClosed"),
    (-8, "again", "WouldBlockError", "BlockingIOError", "ErrAgain"),
    (-9, "timedout", "TimeoutError", "TimeoutError", "ErrTimeout"),
    (-10, "aborted", "AbortedError", "OSError", "ErrAborted"),
    (-11, "range", "RangeError", "ValueError", "ErrRange"),
    (-12, "io", "FileDescriptorError", "OSError", "ErrIO"),
    (-13, "notsup", "NotSupportedError", "NotImplementedError", "ErrNotSup"),
    (-14, "version", "VersionError", "RuntimeError", "ErrVersion"),
]


def errors_file():
    table = [{"code": c, "class": k, "python": p, "python_base": b, "go": g, "lua": k.replace("_", "")}
             for c, k, p, b, g in CODES]
    cases = [{"name": "code %d raises %s" % (c, k), "steps": [dict(op="raise_code", code=c, expect_error=k)]}
             for c, k, _, _, _ in CODES]
    return {"description": "Each C status code and the error it is in every language: `codes` is the table, "
                           "each case raises one code through the binding's error translation",
            "codes": table, "cases": cases}


def files():
    fd, fl, fo = framers()
    return {"buffer_find.json": buffer_find(), "buffer_lines.json": buffer_lines(), "buffer_ops.json": buffer_ops(),
            "view.json": view_file(), "framer_delimiter.json": fd, "framer_length.json": fl,
            "framer_ops.json": fo, "ring.json": ring_file(), "pool_stats.json": pool_file(),
            "stream.json": stream_file(), "errors.json": errors_file(), "builder_pool.json": builder_pool_file()}


def main(argv):
    check = "--check" in argv
    stale = []
    for name, doc in files().items():
        text = json.dumps(doc, indent=1) + "\n"
        path = HERE / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
            print("%s: %d cases" % (name, len(doc["cases"])))
    if stale:
        print("out of date (run tests/conformance/generate.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
