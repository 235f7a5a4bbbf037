#!/usr/bin/env python3
"""Runs the chunkbuf benchmark programs and prints the ratio table.

Each program runs with --benchmark_repetitions (default 5) and its medians
are paired: every chunkbuf case beside its alternative, as a ratio, checked
against the project's targets. The table is Markdown. With --chart (and
matplotlib installed) the ratios are also drawn as a PNG bar chart.

Never fails on a number: the exit status is non-zero only when a program
cannot run or its output cannot be read.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

PROGRAMS = ["buffer_bench", "lines_bench", "find_bench", "pool_bench", "stream_bench"]

# (workload, chunkbuf run, alternative run, alternative, metric, target)
# metric "speed": ratio = alternative time / chunkbuf time (higher is better);
# "time": chunkbuf time / alternative time (lower is better); any other
# metric names a counter compared like "time". target: (">=" | "<=", x).
PAIRS = [
    ("append+drain, 4 KiB chunks", "append_chunkbuf/4096", "append_memcpy/4096", "memcpy (limit)", "speed", (">=", 0.9)),
    ("append+drain, 4 KiB chunks", "append_chunkbuf/4096", "append_evbuffer/4096", "evbuffer_add/drain", "speed", None),
    ("append+drain, 64 KiB chunks", "append_chunkbuf/65536", "append_memcpy/65536", "memcpy (limit)", "speed", None),
    ("append+drain, 64 KiB chunks", "append_chunkbuf/65536", "append_evbuffer/65536", "evbuffer_add/drain", "speed", None),
    ("append_ref+split_to, 4 KiB", "zerocopy_chunkbuf", "zerocopy_evbuffer", "evbuffer_add_reference+remove_buffer", "speed", None),
    ("append+drain, 4 KiB chunks", "append_chunkbuf/4096", "append_cord/4096", "absl::Cord Append+RemovePrefix", "speed", (">=", 1.0)),
    ("append+drain, 64 KiB chunks", "append_chunkbuf/65536", "append_cord/65536", "absl::Cord Append+RemovePrefix", "speed", None),
    ("1500-byte prefixes cut from 4 KiB appends", "split_chunkbuf", "split_cord", "absl::Cord Subcord+RemovePrefix", "speed", (">=", 1.0)),
    ("1500-byte prefixes cut from 4 KiB appends", "split_chunkbuf", "split_evbuffer", "evbuffer_remove_buffer", "speed", None),
    ("chunk iteration, 1 MiB of 4 KiB appends", "chunks_chunkbuf", "chunks_cord", "absl::Cord::Chunks()", "speed", (">=", 1.0)),
    ("lines: take_line", "lines_chunkbuf_take_line", "lines_evbuffer_readln", "evbuffer_readln(LF)", "speed", (">=", 2.0)),
    ("lines: take_lines (batch)", "lines_chunkbuf_take_lines", "lines_evbuffer_readln", "evbuffer_readln(LF)", "speed", (">=", 4.0)),
    ("lines: take_line", "lines_chunkbuf_take_line", "lines_memchr", "memchr loop (limit)", "speed", None),
    ("lines: take_lines (batch)", "lines_chunkbuf_take_lines", "lines_memchr", "memchr loop (limit)", "speed", (">=", 0.6)),
    ("find, rare first byte", "find_chunkbuf/case:0", "find_contiguous/case:0", "memmem contiguous", "speed", (">=", 0.8)),
    ("find, frequent first byte", "find_chunkbuf/case:1", "find_contiguous/case:1", "memmem contiguous", "speed", (">=", 0.8)),
    ("find, straddling needle", "find_chunkbuf/case:2", "find_contiguous/case:2", "memmem contiguous", "speed", (">=", 0.8)),
    ("find, one byte", "find_chunkbuf/case:3", "find_contiguous/case:3", "memchr contiguous", "speed", (">=", 0.8)),
    ("find, rare first byte", "find_chunkbuf/case:0", "find_evbuffer/case:0", "evbuffer_search", "speed", None),
    ("find, frequent first byte", "find_chunkbuf/case:1", "find_evbuffer/case:1", "evbuffer_search", "speed", None),
    ("find, straddling needle", "find_chunkbuf/case:2", "find_evbuffer/case:2", "evbuffer_search", "speed", None),
    ("pool 4 KiB, 1 thread", "pool_acquire_release/4096/threads:1", "pool_malloc_free/4096/threads:1", "malloc+free", "time", ("<=", 0.5)),
    ("pool 4 KiB, 2 threads", "pool_acquire_release/4096/threads:2", "pool_malloc_free/4096/threads:2", "malloc+free", "time", ("<=", 0.5)),
    ("pool 64 KiB, 1 thread", "pool_acquire_release/65536/threads:1", "pool_malloc_free/65536/threads:1", "malloc+free", "time", ("<=", 0.5)),
    ("pool 64 KiB, 2 threads", "pool_acquire_release/65536/threads:2", "pool_malloc_free/65536/threads:2", "malloc+free", "time", ("<=", 0.5)),
    ("stream hand-off, median round trip", "handoff_chunkbuf/real_time", "handoff_condvar/real_time", "mutex+condvar ping-pong", "p50_ns", ("<=", 1.3)),
    ("stream hand-off, p99 round trip", "handoff_chunkbuf/real_time", "handoff_condvar/real_time", "mutex+condvar ping-pong", "p99_ns", None),
    ("stream 64 KiB writes, 1 MiB high-water", "throughput_chunkbuf/1048576/real_time", "throughput_pipe/real_time", "pipe(2)", "speed", None),
    ("stream 64 KiB writes, no high-water", "throughput_chunkbuf/0/real_time", "throughput_pipe/real_time", "pipe(2)", "speed", None),
    ("stream bulk read 64 KiB, 4 KiB writes", "bulk_chunkbuf/write:4096/via_view:0/real_time", "bulk_pipe/write:4096/real_time", "pipe(2)", "speed", None),
    ("stream bulk read 64 KiB, 64 KiB writes", "bulk_chunkbuf/write:65536/via_view:0/real_time", "bulk_pipe/write:65536/real_time", "pipe(2)", "speed", None),
    ("stream bulk read 64 KiB, 4 KiB writes", "bulk_chunkbuf/write:4096/via_view:0/real_time", "bulk_chunkbuf/write:4096/via_view:1/real_time", "read through a view (two copies)", "speed", None),
    ("stream bulk read 64 KiB, 64 KiB writes", "bulk_chunkbuf/write:65536/via_view:0/real_time", "bulk_chunkbuf/write:65536/via_view:1/real_time", "read through a view (two copies)", "speed", None),
    ("stream bulk read 64 KiB, 64 KiB writes", "bulk_chunkbuf/write:65536/via_view:0/real_time", "bulk_memcpy/write:65536/real_time", "memcpy (one-copy limit)", "speed", None),
]

# Language harnesses, compared the same way: (workload, chunkbuf case,
# alternative case, alternative, target); every ratio is "speed" from the
# medians of ns per op. Case names are "<harness>:<case>"; Go's are its
# benchmark names (see bindings/go/bench_test.go).
LANG_PAIRS = [
    # Stream readers behind a writer thread that delivers 4 KiB chunks, against
    # os.pipe() + io.BufferedReader(64 KiB) fed the same way.
    ("python: for line in Stream, writer thread", "python:stream_iter", "python:pipe_iter",
     "for line in BufferedReader(os.pipe())", (">=", 1.5)),
    ("python: Stream.readline loop, writer thread", "python:stream_readline", "python:pipe_readline",
     "BufferedReader(os.pipe()).readline loop", (">=", 1.5)),
    ("python: Stream.read_line(\"lf\") loop, writer thread", "python:stream_read_line", "python:pipe_readline",
     "BufferedReader(os.pipe()).readline loop", None),
    ("python: Stream.read(65536) loop, writer thread", "python:stream_read", "python:pipe_read",
     "BufferedReader(os.pipe()).read(65536)", (">=", 1.5)),
    ("python: Stream.readinto 64 KiB, writer thread", "python:stream_readinto", "python:pipe_readinto",
     "BufferedReader(os.pipe()).readinto", (">=", 1.5)),
    ("python: Stream.write 4 KiB, drained", "python:write_stream", "python:write_pipe",
     "os.write to a drained pipe", (">=", 2.0)),
    ("python: line iteration, whole data", "python:iter_chunkbuf_whole", "python:iter_bytesio_whole",
     "io.BytesIO iteration", (">=", 1.0)),
    ("python: line iteration, 4 KiB chunks", "python:lines_chunkbuf_chunked", "python:lines_split_idiom",
     "per-chunk bytes.split idiom", (">=", 1.0)),
    ("python: line iteration, 4 KiB chunks", "python:lines_chunkbuf_chunked", "python:lines_bytearray_find_del",
     "bytearray find+del", None),
    ("python: Stream.readline loop, in memory", "python:readline_stream", "python:readline_bytesio",
     "io.BytesIO.readline loop", None),
    ("python: Stream.readinto 64 KiB, in memory", "python:readinto_stream", "python:readinto_bytesio",
     "io.BytesIO.readinto", None),
    ("go: Stream.ReadLines, 4 KiB writes", "go:BenchmarkStreamLines/4KiB/chunkbuf", "go:BenchmarkStreamLines/4KiB/bufio",
     "bufio.Reader.ReadSlice over io.Pipe", (">=", 0.8)),
    ("go: Stream.ReadLines, 64 KiB writes", "go:BenchmarkStreamLines/64KiB/chunkbuf",
     "go:BenchmarkStreamLines/64KiB/bufio", "bufio.Reader.ReadSlice over io.Pipe", (">=", 0.8)),
    ("go: Stream.ReadLines, 64 KiB writes", "go:BenchmarkStreamLines/64KiB/chunkbuf",
     "go:BenchmarkStreamLines/64KiB/bufio-64KiB", "64 KiB bufio.Reader over io.Pipe", None),
    ("go: Stream.TakeLines, 4 KiB writes", "go:BenchmarkStreamLines/4KiB/take-lines",
     "go:BenchmarkStreamLines/4KiB/bufio", "bufio.Reader.ReadSlice over io.Pipe", None),
    ("go: Stream.TakeLines, 64 KiB writes", "go:BenchmarkStreamLines/64KiB/take-lines",
     "go:BenchmarkStreamLines/64KiB/bufio", "bufio.Reader.ReadSlice over io.Pipe", None),
    ("go: Stream.AppendLine, 4 KiB writes", "go:BenchmarkStreamLines/4KiB/append-line",
     "go:BenchmarkStreamLines/4KiB/bufio", "bufio.Reader.ReadSlice over io.Pipe", None),
    ("go: Stream.AppendLine, 64 KiB writes", "go:BenchmarkStreamLines/64KiB/append-line",
     "go:BenchmarkStreamLines/64KiB/bufio", "bufio.Reader.ReadSlice over io.Pipe", None),
    # (a bufio.Reader passes reads of at least its size straight to the pipe)
    ("go: Stream.Read 64 KiB, 4 KiB writes", "go:BenchmarkStreamRead/4KiB/chunkbuf", "go:BenchmarkStreamRead/4KiB/pipe",
     "io.PipeReader.Read", (">=", 1.0)),
    ("go: Stream.Read 64 KiB, 64 KiB writes", "go:BenchmarkStreamRead/64KiB/chunkbuf",
     "go:BenchmarkStreamRead/64KiB/pipe", "io.PipeReader.Read", (">=", 1.0)),
    ("go: bufio.Scanner, 4 KiB writes", "go:BenchmarkStreamScanner/4KiB/chunkbuf",
     "go:BenchmarkStreamScanner/4KiB/pipe", "bufio.Scanner over io.Pipe", (">=", 1.0)),
    ("go: bufio.Scanner, 64 KiB writes", "go:BenchmarkStreamScanner/64KiB/chunkbuf",
     "go:BenchmarkStreamScanner/64KiB/pipe", "bufio.Scanner over io.Pipe", (">=", 1.0)),
    ("go: Buffer.TakeLines, 4 KiB writes", "go:BenchmarkBufferLines/4KiB/chunkbuf",
     "go:BenchmarkBufferLines/4KiB/bytes.Buffer", "bytes.Buffer + IndexByte", (">=", 1.0)),
    ("go: Buffer io.Copy, 64 KiB", "go:BenchmarkBufferCopy/64KiB/chunkbuf", "go:BenchmarkBufferCopy/64KiB/bytes.Buffer",
     "bytes.Buffer io.Copy", None),
    ("lua: buf:lines(), 4 KiB chunks", "lua:chunkbuf lines(), 4 KiB chunks", "lua:lua string.find+sub, 4 KiB chunks",
     "string.find+sub loop", (">=", 1.0)),
    ("lua: buf:read_lines(), 4 KiB chunks", "lua:chunkbuf read_lines, 4 KiB chunks",
     "lua:lua string.find+sub, 4 KiB chunks", "string.find+sub loop", (">=", 1.0)),
    ("lua: buf:read_line(), 4 KiB chunks", "lua:chunkbuf read_line, 4 KiB chunks",
     "lua:lua string.find+sub, 4 KiB chunks", "string.find+sub loop", (">=", 1.0)),
    ("lua: buf:take_line()+tostring, 4 KiB chunks", "lua:chunkbuf take_line+tostring, 4 KiB chunks",
     "lua:lua string.find+sub, 4 KiB chunks", "string.find+sub loop", (">=", 1.0)),
    ("lua: Stream:read_line(), 4 KiB chunks", "lua:chunkbuf Stream:read_line, 4 KiB chunks",
     "lua:lua string.find+sub, 4 KiB chunks", "string.find+sub loop", None),
    ("lua: buf:lines(), 64 KiB chunks", "lua:chunkbuf lines(), 64 KiB chunks",
     "lua:lua string.find+sub, 64 KiB chunks", "string.find+sub loop", (">=", 1.0)),
    ("lua: buf:read_line(), 64 KiB chunks", "lua:chunkbuf read_line, 64 KiB chunks",
     "lua:lua string.find+sub, 64 KiB chunks", "string.find+sub loop", (">=", 1.0)),
    ("lua: buf:take_line()+tostring, 64 KiB chunks", "lua:chunkbuf take_line+tostring, 64 KiB chunks",
     "lua:lua string.find+sub, 64 KiB chunks", "string.find+sub loop", (">=", 1.0)),
    ("lua: Stream:read_line(), 64 KiB chunks", "lua:chunkbuf Stream:read_line, 64 KiB chunks",
     "lua:lua string.find+sub, 64 KiB chunks", "string.find+sub loop", None),
]

# Absolute rows: (workload, case, metric the case reports, label, target
# as (op, value in that metric's unit), unit shown).
LANG_ABSOLUTE = [
    ("go: ReadContext returns after cancel(), median of 100", "go:BenchmarkStreamCancel/chunkbuf", "median-ns",
     "cancel() to return", ("<", 1e6), "ns"),
]

# The Go benchmarks the report runs (a -bench pattern).
GO_BENCH = "^Benchmark(Stream|Buffer)"

UNIT_NS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def run_program(path, repetitions, min_time):
    # Interleaving the repetitions at random spreads a shared machine's noise
    # over every case instead of landing on whichever ran at a bad moment.
    args = [path, f"--benchmark_repetitions={repetitions}", "--benchmark_report_aggregates_only=true",
            "--benchmark_enable_random_interleaving=true", "--benchmark_format=json"]
    if min_time:
        args.append(f"--benchmark_min_time={min_time}")
    print(f"running {os.path.basename(path)} ...", file=sys.stderr, flush=True)
    out = subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def medians(doc):
    """run_name -> the median aggregate of that run."""
    return {b["run_name"]: b for b in doc["benchmarks"] if b.get("aggregate_name") == "median"}


def time_ns(b):
    """Time per iteration: wall time where the benchmark asked for it (the
    stream runs, whose threads wait on each other), else CPU time."""
    t = b["real_time"] if "/real_time" in b["run_name"] else b["cpu_time"]
    return t * UNIT_NS[b["time_unit"]]


def describe(b, metric):
    if metric not in ("speed", "time"):
        return f"{b[metric] / 1e3:.1f} us"
    if "items_per_second" in b:
        return f"{b['items_per_second'] / 1e6:.1f} M/s"
    if "bytes_per_second" in b:
        return f"{b['bytes_per_second'] / 1e9:.2f} GB/s"
    return f"{time_ns(b):.1f} ns"


def ratio(cb, alt, metric):
    if metric == "speed":
        return time_ns(alt) / time_ns(cb)
    if metric == "time":
        return time_ns(cb) / time_ns(alt)
    return cb[metric] / alt[metric]


def verdict(r, target):
    """True/False when ratio r meets/misses target (op, x); None without one."""
    if not target:
        return None
    op, x = target
    return r >= x if op == ">=" else r <= x


def build_rows(runs):
    rows = []
    for workload, cb_name, alt_name, alt_label, metric, target in PAIRS:
        cb, alt = runs.get(cb_name), runs.get(alt_name)
        if cb is None or alt is None:
            print(f"{workload} vs {alt_label}: no result (not built, or the case failed)", file=sys.stderr)
            continue
        r = ratio(cb, alt, metric)
        met = verdict(r, target)
        rows.append(dict(workload=workload, alt=alt_label, cb=describe(cb, metric), altv=describe(alt, metric),
                         ratio=r, target=target, met=met, lower_better=metric != "speed"))
    return rows


def run_harness(cmd, env_extra):
    """A language harness's results: "<harness>:<case>" -> median ns per op."""
    print(f"running {' '.join(cmd)} ...", file=sys.stderr, flush=True)
    env = dict(os.environ, **env_extra)
    doc = json.loads(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=env).stdout)
    return {f"{doc['harness']}:{r['name']}": r for r in doc["results"]}


def run_go(go, go_dir, count):
    """`go test -bench` in the binding's folder: "go:<benchmark>" -> median ns per op.
    count passes of -count 1, so each pair's two cases alternate in time
    (-count N would run one case N times before its alternative)."""
    cmd = [go, "test", "-run", "^$", "-bench", GO_BENCH, "-count", "1", "."]
    samples = {}
    for i in range(count):
        print(f"running {' '.join(cmd)} in {go_dir} ({i + 1}/{count}) ...", file=sys.stderr, flush=True)
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=go_dir).stdout
        for line in out.splitlines():
            m = re.match(r"(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)", line)
            if not m:
                continue
            # "<value> <unit>" pairs: ns/op, MB/s and the custom metrics
            for value, unit in re.findall(r"([\d.e+-]+) (\S+)", m.group(2)):
                samples.setdefault("go:" + m.group(1), {}).setdefault(unit, []).append(float(value))
    return {name: dict({"ns_per_op": statistics.median(units["ns/op"]), "runs": units["ns/op"], "op": "op"},
                       **{unit: statistics.median(v) for unit, v in units.items() if unit != "ns/op"})
            for name, units in samples.items() if "ns/op" in units}


def build_lang_rows(results):
    rows = []
    for workload, cb_name, alt_name, alt_label, target in LANG_PAIRS:
        cb, alt = results.get(cb_name), results.get(alt_name)
        if cb is None or alt is None:
            print(f"{workload} vs {alt_label}: no result (harness not run, or the case is missing)", file=sys.stderr)
            continue
        r = alt["ns_per_op"] / cb["ns_per_op"]
        met = verdict(r, target)
        rows.append(dict(workload=workload, alt=alt_label, cb=f"{cb['ns_per_op']:.0f} ns/{cb['op']}",
                         altv=f"{alt['ns_per_op']:.0f} ns/{alt['op']}", ratio=r, target=target, met=met,
                         lower_better=False))
    return rows


def build_absolute_rows(results):
    rows = []
    for workload, name, metric, label, target, unit in LANG_ABSOLUTE:
        r = results.get(name)
        if r is None or metric not in r:
            print(f"{workload}: no result (harness not run, or the case is missing)", file=sys.stderr)
            continue
        op, x = target
        met = r[metric] < x if op == "<" else r[metric] <= x
        rows.append(dict(workload=workload, alt=label, cb=f"{r[metric]:.0f} {unit}", altv="-", ratio=None,
                         target=(op, f"{x:.0f} {unit}"), met=met, lower_better=True))
    return rows


def print_table(rows, runs):
    print("| workload | chunkbuf | alternative | alternative's | ratio | target | |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        kind = "time" if r["lower_better"] else "speed"
        target = f"{r['target'][0]} {r['target'][1]}" if r["target"] else "-"
        verdict = {None: "", True: "met", False: "**missed**"}[r["met"]]
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x {kind}"
        print(f"| {r['workload']} | {r['cb']} | {r['alt']} | {r['altv']} | {ratio} | {target} | {verdict} |")
    rss = runs.get("rss_streaming_1gib/iterations:1/real_time")
    if rss:
        print(f"\nstream, streaming mode, 1 GiB through with a 1 MiB high-water mark: "
              f"peak RSS growth {rss['peak_rss_growth_MiB']:.1f} MiB, pool peak in use "
              f"{rss['pool_peak_MiB']:.1f} MiB, {rss['bytes_per_second'] / 1e9:.2f} GB/s")
    print("\nratio: 'speed' = alternative time / chunkbuf time (higher is better); "
          "'time' = chunkbuf / alternative (lower is better). Medians of the repetitions.")


def draw_chart(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib is not installed: no chart written to {path}", file=sys.stderr)
        return
    rows = [r for r in rows if r["ratio"] is not None]  # absolute rows have no ratio to draw
    labels = [f"{r['workload']}\nvs {r['alt']} ({'time' if r['lower_better'] else 'speed'})" for r in rows]
    colors = ["#9e9e9e" if r["met"] is None else ("#2e7d32" if r["met"] else "#c62828") for r in rows]
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(rows) + 1.5))
    y = list(range(len(rows)))[::-1]
    ax.barh(y, [r["ratio"] for r in rows], color=colors)
    for yi, r in zip(y, rows):
        ax.text(r["ratio"] * 1.03, yi, f"{r['ratio']:.2f}x", va="center", fontsize=8)
        if r["target"]:
            ax.plot([r["target"][1]] * 2, [yi - 0.4, yi + 0.4], color="black", linewidth=2)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xscale("log")
    ax.axvline(1.0, color="#555555", linewidth=0.8, linestyle=":")
    ax.set_xlabel("ratio (log scale); black tick = target; green met, red missed, grey no target")
    ax.set_title("chunkbuf vs alternatives (medians)")
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    print(f"chart written to {path}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bindir", required=True, help="directory holding the *_bench programs")
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--min-time", help="--benchmark_min_time for every program (seconds)")
    ap.add_argument("--chart", help="write the PNG bar chart here")
    ap.add_argument("--json-dir", help="keep each program's JSON output here")
    ap.add_argument("--python-path", help="PYTHONPATH holding the built chunkbuf package: runs the Python harness")
    ap.add_argument("--lua-cpath", help="LUA_CPATH finding the built chunkbuf module: runs the Lua harness")
    ap.add_argument("--lua", default="lua5.4", help="the Lua interpreter")
    ap.add_argument("--go-dir", help="the Go binding's folder: runs its benchmarks (cgo environment from the caller)")
    ap.add_argument("--go", default="go", help="the go command")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    runs = {}
    for name in PROGRAMS:
        path = os.path.join(a.bindir, name)
        if not os.path.exists(path):
            print(f"{name} not built: skipped", file=sys.stderr)
            continue
        doc = run_program(path, a.repetitions, a.min_time)
        if a.json_dir:
            os.makedirs(a.json_dir, exist_ok=True)
            with open(os.path.join(a.json_dir, name + ".json"), "w") as f:
                json.dump(doc, f, indent=1)
        runs.update(medians(doc))
    rows = build_rows(runs)
    lang = {}
    if a.python_path:
        lang.update(run_harness([sys.executable, os.path.join(here, "python", "lines_bench.py")],
                                {"PYTHONPATH": a.python_path}))
    if a.lua_cpath:
        lang.update(run_harness([a.lua, os.path.join(here, "lua", "lines_bench.lua")], {"LUA_CPATH": a.lua_cpath}))
    if a.go_dir:
        lang.update(run_go(a.go, a.go_dir, a.repetitions))
    if a.json_dir and lang:
        os.makedirs(a.json_dir, exist_ok=True)
        with open(os.path.join(a.json_dir, "languages.json"), "w") as f:
            json.dump(lang, f, indent=1)
    rows += build_lang_rows(lang) + build_absolute_rows(lang)
    print_table(rows, runs)
    if a.chart:
        draw_chart(rows, a.chart)


if __name__ == "__main__":
    main()
