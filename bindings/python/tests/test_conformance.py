"""Runs every tests/conformance/*.json vector through the binding."""
import json
import os
import pathlib

import pytest

import chunkbuf

DIR = pathlib.Path(os.environ.get("CHUNKBUF_CONFORMANCE_DIR") or
                   pathlib.Path(__file__).resolve().parents[3] / "tests" / "conformance")
ERRORS = {"inval": chunkbuf.InvalidArgumentError, "limit": chunkbuf.LimitError,
          "state": chunkbuf.StateError, "need_more": chunkbuf.NeedMoreData,
          "range": chunkbuf.RangeError}


def cases():
    files = sorted(DIR.glob("*.json"))
    assert files, "no conformance vectors in %s" % DIR
    for path in files:
        for case in json.loads(path.read_text())["cases"]:
            yield pytest.param(case, id="%s::%s" % (path.stem, case["name"]))


def field(step, name, default=None):
    """A byte-valued field, given as text or as <name>_hex."""
    if name + "_hex" in step:
        return bytes.fromhex(step[name + "_hex"])
    if name in step:
        return step[name].encode()
    return default


def expected(step):
    if "expect_hex" in step:
        return bytes.fromhex(step["expect_hex"])
    value = step["expect"]
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, list):
        return [v.encode() for v in value]
    return value


def run_step(buf, views, step):
    op = step["op"]
    if op == "append":
        return buf.append(field(step, "data"))
    if op == "append_ref":
        return buf.append_ref(field(step, "data"))
    if op == "append_view":
        return buf.append_view(views[step["view"]])
    if op == "len":
        return len(buf)
    if op == "contents":
        return bytes(buf)
    if op in ("find", "rfind"):
        return getattr(buf, op)(field(step, "needle"), step.get("start", 0), step.get("end"))
    if op == "equals":
        return buf == field(step, "data")
    if op == "copy_out":
        out = bytearray(step["n"])
        return bytes(out[:buf.copy_into(out, step["offset"])])
    if op.startswith("peek_u"):
        if op == "peek_u8":
            return buf.peek_u8(step["offset"])
        return getattr(buf, op)(step["offset"], step["order"])
    if op == "coalesce":
        return buf.coalesce(step["n"])
    if op == "advance":
        return buf.advance(step["n"])
    if op == "read":
        return buf.read(step["n"])
    if op in ("split_to", "take_until", "take_line"):
        if op == "split_to":
            view = buf.split_to(step["n"])
        elif op == "take_until":
            view = buf.take_until(field(step, "delim"), step["include"], step.get("max_len", 0))
        else:
            view = buf.take_line(step["eol"], step.get("max_len", 0))
        if "as" in step:
            views[step["as"]] = view
        return bytes(view)
    if op == "take_lines":
        return buf.take_lines(step["eol"], step["max_records"], step.get("max_len", 0))
    if op == "take_records":
        return buf.take_records(field(step, "delim"), step["max_records"], step.get("max_len", 0))
    if op == "view_bytes":
        return bytes(views[step["view"]])
    if op == "view_len":
        return len(views[step["view"]])
    if op == "view_slice":
        views[step["as"]] = views[step["view"]].slice(step["start"], step["end"])
        return bytes(views[step["as"]])
    if op == "view_find":
        return views[step["view"]].find(field(step, "needle"), step.get("start", 0), step.get("end"))
    if op == "view_equals":
        return views[step["view"]] == field(step, "data")
    if op == "view_concat":
        views[step["as"]] = chunkbuf.View.concat(views[name] for name in step["views"])
        return bytes(views[step["as"]])
    if op == "view_release":
        return views.pop(step["view"]).release()
    raise AssertionError("the binding cannot run op %r" % op)


@pytest.mark.parametrize("linear", [False, True], ids=["segmented", "linear"])
@pytest.mark.parametrize("case", list(cases()))
def test_vector(case, linear):
    opts = case.get("buffer", {})
    buf = chunkbuf.Buffer(max_bytes=opts.get("max_bytes", 0), min_chunk=opts.get("min_chunk", 0), linear=linear)
    views = {}
    for i, step in enumerate(case["steps"]):
        where = "step %d %r" % (i, step)
        if "expect_error" in step:
            with pytest.raises(ERRORS[step["expect_error"]]):
                run_step(buf, views, step)
            continue
        result = run_step(buf, views, step)
        if "expect" in step or "expect_hex" in step:
            assert result == expected(step), where
