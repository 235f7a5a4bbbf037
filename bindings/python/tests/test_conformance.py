"""Runs every tests/conformance/*.json vector through the binding, on both
Buffer backends, one test per file and backend (the format is in
tests/conformance/README.md). The operations are a table: op name ->
function(case context, step) returning the result to compare."""
import builtins
import json
import os
import pathlib

import pytest

import chunkbuf
from chunkbuf import _ffi

DIR = pathlib.Path(os.environ.get("CHUNKBUF_CONFORMANCE_DIR") or
                   pathlib.Path(__file__).resolve().parents[3] / "tests" / "conformance")
ERRORS = {"inval": chunkbuf.InvalidArgumentError, "handle": chunkbuf.HandleError,
          "nomem": chunkbuf.OutOfMemoryError, "limit": chunkbuf.LimitError, "state": chunkbuf.StateError,
          "need_more": chunkbuf.NeedMoreData, "closed": chunkbuf.ClosedError, "again": chunkbuf.WouldBlockError,
          "timedout": chunkbuf.TimeoutError, "aborted": chunkbuf.AbortedError, "range": chunkbuf.RangeError,
          "io": chunkbuf.FileDescriptorError, "notsup": chunkbuf.NotSupportedError,
          "version": chunkbuf.VersionError}
WHENCE = {"set": os.SEEK_SET, "cur": os.SEEK_CUR, "end": os.SEEK_END}


def files():
    found = sorted(DIR.glob("*.json"))
    assert found, "no conformance vectors in %s" % DIR
    return found


def field(step, name, default=None):
    """A byte-valued field, given as text or as <name>_hex."""
    if name + "_hex" in step:
        return bytes.fromhex(step[name + "_hex"])
    if name in step:
        return step[name].encode("latin-1")
    return default


def expected(step):
    if "expect_hex" in step:
        return bytes.fromhex(step["expect_hex"])
    value = step["expect"]
    if isinstance(value, str):
        return value.encode("latin-1")
    if isinstance(value, list):
        return [v.encode("latin-1") if isinstance(v, str) else v for v in value]
    return value


def make_framer(spec):
    if spec["type"] == "delimiter":
        return chunkbuf.DelimiterFramer([d.encode("latin-1") for d in spec["delimiters"]],
                                        max_frame=spec.get("max_frame", 0),
                                        include_delimiter=spec.get("include_delimiter", False))
    return chunkbuf.LengthFramer(length_width=spec.get("length_width", 4), order=spec.get("order", "be"),
                                 length_offset=spec.get("length_offset", 0),
                                 length_adjust=spec.get("length_adjust", 0), strip=spec.get("strip"),
                                 max_frame=spec.get("max_frame", 0))


class Case:
    """What one case works on: its buffer, named views, stream, ring,
    framer and pool."""

    def __init__(self, case, linear):
        self.pool = None
        if "pool" in case:
            self.pool = chunkbuf.Pool(max_cached_bytes_per_class=case["pool"].get("max_cached_bytes_per_class", 0))
            if "tenant_quota" in case["pool"]:
                self.pool.set_tenant_quota(*case["pool"]["tenant_quota"])
        opts = case.get("buffer", {})
        self.opts = dict(pool=self.pool, max_bytes=opts.get("max_bytes", 0), min_chunk=opts.get("min_chunk", 0),
                         tenant=opts.get("tenant", 0), linear=linear)
        self.buf = chunkbuf.Buffer(**self.opts)
        self.views = {}
        self.reserved = None
        self.stream = self.ring = self.framer = None
        if "stream" in case:
            s = case["stream"]
            self.stream = chunkbuf.Stream(s.get("content_length"), retain=s.get("retain", False),
                                          max_bytes=s.get("max_bytes", 0), pool=self.pool)
        if "ring" in case:
            self.ring = chunkbuf.Ring(case["ring"]["capacity"])
        if "framer" in case:
            self.framer = make_framer(case["framer"])

    def keep(self, step, view):
        """Stores view under the step's "as" name; returns its bytes."""
        if "as" in step:
            self.views[step["as"]] = view
        return bytes(view)

    def view(self, step, key="view"):
        return self.views[step[key]]


def drain(framer, buf, final, frames):
    while True:
        try:
            frames.append(bytes(framer.next(buf, final)))
        except chunkbuf.NeedMoreData:
            return


def all_cuts(c, s):
    """Every cut point of the input gives the same frames (and error)."""
    data = field(s, "input")
    outcomes = set()
    for cut in range(len(data) + 1):
        buf, frames, err = chunkbuf.Buffer(**c.opts), [], None
        try:
            buf.append(data[:cut])
            drain(c.framer, buf, False, frames)
            buf.append(data[cut:])
            drain(c.framer, buf, False, frames)
            if s.get("final", True):
                drain(c.framer, buf, True, frames)
        except chunkbuf.Error as e:
            err = e
        outcomes.add((tuple(frames), type(err)))
        first = (frames, err)
    assert len(outcomes) == 1, "cut points disagree: %r" % outcomes
    if first[1] is not None:
        first[1].frames = first[0]
        raise first[1]
    return first[0]


def commit(c, s):
    data = field(s, "data")
    if c.reserved is not None and len(data) <= len(c.reserved):
        c.reserved[:len(data)] = data
    c.buf.commit(len(data))
    c.reserved = None


def reserve(c, s):
    c.reserved = c.buf.reserve(s["n"])


def pool_stats(c, s):
    stats = c.pool.stats()
    return {k: list(v) if isinstance(v, tuple) else v
            for k, v in ((k, getattr(stats, k)) for k in s["expect"])}


def view_retag(c, s):
    kind = s["kind_id"] if "kind_id" in s else s["kind"]
    return c.keep(s, c.view(s).retag(kind))


def pool_get(c, s):
    c.buf.close()
    c.buf = c.pool.get(s["size"])


def view_tenant_name(c, s):
    return (c.view(s).tenant_name or "").encode()


def view_copy_out(c, s):
    out = bytearray(s["n"])
    return bytes(out[:c.view(s).copy_into(out, s["offset"])])


def copy_out(c, s):
    out = bytearray(s["n"])
    return bytes(out[:c.buf.copy_into(out, s["offset"])])


def free_buffer(c, s):
    c.buf.close()


def new_buffer(c, s):
    c.buf = chunkbuf.Buffer(**c.opts)


def view_release(c, s):
    c.views.pop(s["view"]).release()


def raise_code(c, s):
    raise _ffi.error(s["code"])


def stream_seek(c, s):
    return c.stream.seek(s["offset"], WHENCE[s["whence"]])


OPS = {
    # buffer
    "append": lambda c, s: c.buf.append(field(s, "data")),
    "append_ref": lambda c, s: c.buf.append_ref(field(s, "data")),
    "append_view": lambda c, s: c.buf.append_view(c.view(s)),
    "reserve": reserve,
    "commit": commit,
    "commit_count": lambda c, s: c.buf.commit(s["n"]),
    "free_buffer": free_buffer,
    "new_buffer": new_buffer,
    "len": lambda c, s: len(c.buf),
    "contents": lambda c, s: bytes(c.buf),
    "find": lambda c, s: c.buf.find(field(s, "needle"), s.get("start", 0), s.get("end")),
    "rfind": lambda c, s: c.buf.rfind(field(s, "needle"), s.get("start", 0), s.get("end")),
    "equals": lambda c, s: c.buf == field(s, "data"),
    "copy_out": copy_out,
    "peek_u8": lambda c, s: c.buf.peek_u8(s["offset"]),
    "peek_u16": lambda c, s: c.buf.peek_u16(s["offset"], s["order"]),
    "peek_u32": lambda c, s: c.buf.peek_u32(s["offset"], s["order"]),
    "peek_u64": lambda c, s: c.buf.peek_u64(s["offset"], s["order"]),
    "coalesce": lambda c, s: bytes(c.buf.coalesce(s["n"])),
    "peek_lines": lambda c, s: c.buf.peek_lines(s["eol"], s["max_records"], s.get("max_len", 0)),
    "peek_records": lambda c, s: c.buf.peek_records(field(s, "delim"), s["max_records"], s.get("max_len", 0)),
    "advance": lambda c, s: c.buf.advance(s["n"]),
    "read_uint": lambda c, s: c.buf.read_uint(s["width"], s["order"]),
    "read_exact": lambda c, s: c.buf.read_bytes(s["n"]),
    "peek_exact": lambda c, s: c.buf.peek_exact(s["n"]),
    "read": lambda c, s: c.buf.read(s["n"]),
    "split_to": lambda c, s: c.keep(s, c.buf.split_to(s["n"])),
    "take_until": lambda c, s: c.keep(s, c.buf.take_until(field(s, "delim"), s["include"], s.get("max_len", 0))),
    "take_line": lambda c, s: c.keep(s, c.buf.take_line(s["eol"], s.get("max_len", 0))),
    "take_lines": lambda c, s: c.buf.take_lines(s["eol"], s["max_records"], s.get("max_len", 0)),
    "take_records": lambda c, s: c.buf.take_records(field(s, "delim"), s["max_records"], s.get("max_len", 0)),
    "capacity": lambda c, s: c.buf.capacity(),
    "ensure_capacity": lambda c, s: c.buf.ensure_capacity(s["n"]),
    "freeze": lambda c, s: c.keep(s, c.buf.freeze(s["kind"])),
    # views
    "view_from_bytes_kind": lambda c, s: c.keep(s, chunkbuf.View.from_bytes(
        field(s, "data"), s["kind"], pool=c.pool if s.get("pool") else None)),
    "view_with_tenant": lambda c, s: c.keep(s, c.view(s).with_tenant(s["tenant"])),
    "view_tenant_name": view_tenant_name,
    "view_from_bytes": lambda c, s: c.keep(s, chunkbuf.View(field(s, "data"),
                                                            pool=c.pool if s.get("pool") else None)),
    "view_bytes": lambda c, s: bytes(c.view(s)),
    "view_len": lambda c, s: len(c.view(s)),
    "view_slice": lambda c, s: c.keep(s, c.view(s).slice(s["start"], s.get("end"))),
    "view_find": lambda c, s: c.view(s).find(field(s, "needle"), s.get("start", 0), s.get("end")),
    "view_equals": lambda c, s: c.view(s) == field(s, "data"),
    "view_equals_view": lambda c, s: c.view(s) == c.view(s, "other"),
    "view_copy_out": view_copy_out,
    "view_concat": lambda c, s: c.keep(s, chunkbuf.View.concat(c.views[n] for n in s["views"])),
    "view_contiguous": lambda c, s: c.keep(s, c.view(s).contiguous()),
    "view_segment_count": lambda c, s: c.view(s).segment_count,
    "view_retag": view_retag,
    "view_kind": lambda c, s: chunkbuf.kind_name(c.view(s).kind).encode(),
    "view_tenant": lambda c, s: c.view(s).tenant,
    "view_clone": lambda c, s: c.keep(s, c.view(s).clone()),
    "view_sharers": lambda c, s: c.view(s).sharers,
    "view_sha256": lambda c, s: c.view(s).sha256(),
    "view_release": view_release,
    # framers
    "framer_new": lambda c, s: make_framer(s["framer"]).close(),
    "frame_all_cuts": all_cuts,
    "frame_next": lambda c, s: c.keep(s, c.framer.next(c.buf, s.get("final", False))),
    "frame_batch": lambda c, s: c.framer.next_batch(c.buf, s.get("final", False), s["max_records"]),
    "frame_encode": lambda c, s: c.framer.encode(c.buf, field(s, "data")),
    # ring
    "ring_new": lambda c, s: chunkbuf.Ring(s["capacity"]).close(),
    "ring_write": lambda c, s: c.ring.write(field(s, "data")),
    "ring_read": lambda c, s: c.ring.read(s["n"]),
    "ring_peek": lambda c, s: c.ring.peek(s["n"]),
    "ring_available": lambda c, s: len(c.ring),
    "ring_remaining": lambda c, s: c.ring.writable_amount(),
    "ring_capacity": lambda c, s: c.ring.capacity,
    # pool
    "pool_stats": pool_stats,
    "pool_trim": lambda c, s: c.pool.trim(),
    "pool_tenant_usage": lambda c, s: c.pool.tenant_usage(s["tenant"]),
    "pool_get": pool_get,
    "pool_prewarm": lambda c, s: c.pool.prewarm(s["count"], s["size"]),
    "optimal_buffer_size": lambda c, s: chunkbuf.optimal_buffer_size(s["total"], s["min"], s["max"]),
    # stream (no call in a vector ever waits)
    "stream_write": lambda c, s: c.stream.write(field(s, "data")),
    "stream_write_eof": lambda c, s: c.stream.write_eof(),
    "stream_abort": lambda c, s: c.stream.abort(s["code"]),
    "stream_read": lambda c, s: c.stream.read(s["n"]),
    "stream_read1": lambda c, s: c.stream.read1(s["n"]),
    "stream_read_nonblock": lambda c, s: c.stream.read_nonblock(s["n"]),
    "stream_readline": lambda c, s: c.stream.readline(s.get("max", -1) or -1),
    "stream_readable_amount": lambda c, s: c.stream.readable_amount(),
    "stream_at_eof": lambda c, s: c.stream.at_eof(),
    "stream_find": lambda c, s: c.stream.find(field(s, "needle"), s.get("start", 0), s.get("end")),
    "stream_seek": stream_seek,
    "stream_tell": lambda c, s: c.stream.tell(),
    # errors
    "raise_code": raise_code,
}


def run_step(c, i, step):
    """None when the step behaves as the vector says, else a message."""
    where = "step %d %r" % (i, step)
    op = OPS.get(step["op"])
    if op is None:
        return "%s: the Python runner has no operation %r" % (where, step["op"])
    try:
        result = op(c, step)
    except chunkbuf.Error as e:
        want = step.get("expect_error")
        if want is None:
            return "%s: unexpected %r" % (where, e)
        if not isinstance(e, ERRORS[want]):
            return "%s: want %s, got %r" % (where, ERRORS[want].__name__, e)
        if "expect" in step and [bytes(f) for f in getattr(e, "frames", [])] != expected(step):
            return "%s: frames before the error: %r" % (where, getattr(e, "frames", None))
        return None
    if "expect_error" in step:
        return "%s: want %s, got result %r" % (where, step["expect_error"], result)
    if ("expect" in step or "expect_hex" in step) and result != expected(step):
        return "%s: got %r" % (where, result)
    return None


def run_file(path, linear, report):
    doc = json.loads(path.read_text())
    failures = []
    for row in doc.get("codes", []):  # the status code table
        cls = getattr(chunkbuf, row["python"])
        err = _ffi.error(row["code"])
        if type(err) is not cls or not isinstance(err, getattr(builtins, row["python_base"])):
            failures.append("code %d: got %r, want %s" % (row["code"], err, row["python"]))
    for case in doc["cases"]:
        c = Case(case, linear)
        for i, step in enumerate(case["steps"]):
            problem = run_step(c, i, step)
            if problem:
                failures.append("%s: %s" % (case["name"], problem))
                break
    failed_cases = len({f.split(": ")[0] for f in failures})
    report("conformance %s (%s): %d passed, %d failed" % (
        path.name, "linear" if linear else "segmented", len(doc["cases"]) - failed_cases, failed_cases))
    return doc, failures


@pytest.mark.parametrize("linear", [False, True], ids=["segmented", "linear"])
@pytest.mark.parametrize("path", files(), ids=lambda p: p.stem)
def test_vectors(path, linear, capsys):
    with capsys.disabled():
        _, failures = run_file(path, linear, print)
    assert not failures, "\n".join(failures[:20])


def test_enough_vectors():
    assert sum(len(json.loads(p.read_text())["cases"]) for p in files()) >= 300
