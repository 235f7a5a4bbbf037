#!/usr/bin/env python3
"""Request-body throughput and peak RSS of examples/wsgi_host beside
gunicorn (sync worker) serving the same WSGI application (bench_app.py)
on the same machine, in one run.

    host_bench.py --host build/examples/wsgi_host/wsgi_host --python-path DIR

Workloads: one 256 MiB upload (median of 5) and 1000 uploads of 64 KiB
(median of 3 rounds), each against a fresh server whose peak RSS (VmHWM,
gunicorn: master + worker) is read at the end. Both servers run one
application thread; the client is a plain socket (keep-alive when the
server allows it: gunicorn's sync worker closes every connection, so its
client reconnects). Prints a Markdown table and, with --json, the numbers.
"""
import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 1 << 20


def peak_rss_kib(pids):
    total = 0
    for pid in pids:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


class Server:
    """A server process on 127.0.0.1 (port chosen by the OS)."""

    def __init__(self, kind, args):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([HERE, args.python_path, args.glue_dir]))
        if kind == "wsgi_host":
            cmd = [args.host, "--app", "bench_app:app", "--workers", "1", "--high-water", str(MIB)]
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, text=True)
            line = self.proc.stdout.readline()
        else:
            cmd = [sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "sync",
                   "--bind", "127.0.0.1:0", "--log-level", "info", "bench_app:app"]
            self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, env=env, text=True)
            line = ""
            while "Booting worker" not in line:  # bounded: gunicorn logs it once ready
                line = self.proc.stderr.readline()
                if not line:
                    raise RuntimeError("gunicorn did not start")
                match = re.search(r"Listening at: http://127.0.0.1:(\d+)", line)
                if match:
                    listening = "listening on 127.0.0.1:" + match.group(1)
            line = listening
        self.port = int(line.strip().rsplit(":", 1)[1])
        self.keep_alive = kind == "wsgi_host"

    def pids(self):
        return [self.proc.pid] + children(self.proc.pid)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


class Client:
    def __init__(self, port, keep_alive):
        self.port, self.keep_alive, self.sock, self.pending = port, keep_alive, None, b""

    def _response(self):
        data = self.pending
        while b"\r\n\r\n" not in data:  # bounded by the socket timeout
            more = self.sock.recv(65536)
            if not more:
                raise RuntimeError("connection closed")
            data += more
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        while len(rest) < length:
            rest += self.sock.recv(65536)
        self.pending = rest[length:]
        closes = re.search(rb"(?i)connection: *close", head) is not None
        return int(head.split(b" ")[1]), rest[:length], closes

    def upload(self, piece, count):
        """POST count * len(piece) bytes; returns the server's count."""
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=120)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        total = len(piece) * count
        self.sock.sendall(b"POST /upload HTTP/1.1\r\nHost: bench\r\nContent-Length: %d\r\n\r\n" % total)
        for _ in range(count):
            self.sock.sendall(piece)
        status, body, closes = self._response()
        if status != 200 or int(body) != total:
            raise RuntimeError("bad answer %d %r" % (status, body))
        if closes or not self.keep_alive:
            self.sock.close()
            self.sock, self.pending = None, b""
        return total


def run(kind, args, piece, count, requests, repeats):
    """Median seconds per round and the server's peak RSS (KiB)."""
    server = Server(kind, args)
    try:
        times = []
        for _ in range(repeats):
            client = Client(server.port, server.keep_alive)
            t0 = time.perf_counter()
            for _ in range(requests):
                client.upload(piece, count)
            times.append(time.perf_counter() - t0)
            if client.sock is not None:
                client.sock.close()
        return statistics.median(times), peak_rss_kib(server.pids())
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", required=True, help="the wsgi_host binary")
    ap.add_argument("--python-path", required=True, help="the directory holding the chunkbuf package")
    ap.add_argument("--glue-dir", default=os.path.join(HERE, "..", "..", "examples", "wsgi_host"))
    ap.add_argument("--json", help="write the numbers here")
    args = ap.parse_args()
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        print("host_bench: gunicorn is not installed (scripts/setup.sh --bench); skipped")
        return 0

    big = bytes(range(256)) * (MIB // 256)
    small = bytes(range(256)) * 256  # 64 KiB
    rows, results = [], {}
    for name, piece, count, requests, repeats in [("one 256 MiB upload", big, 256, 1, 5),
                                                  ("1000 uploads of 64 KiB", small, 1, 1000, 3)]:
        got = {kind: run(kind, args, piece, count, requests, repeats) for kind in ("wsgi_host", "gunicorn")}
        mib = len(piece) * count * requests / MIB
        results[name] = {k: {"seconds": t, "mib_per_s": mib / t, "peak_rss_kib": rss} for k, (t, rss) in got.items()}
        (th, rh), (tg, rg) = got["wsgi_host"], got["gunicorn"]
        extra = "" if requests == 1 else " (%.0f / %.0f req/s)" % (requests / th, requests / tg)
        rows.append("| %s | %.0f MiB/s | %.0f MiB/s | %.2fx%s | %.1f MiB | %.1f MiB |"
                    % (name, mib / th, mib / tg, tg / th, extra, rh / 1024, rg / 1024))
    print("| workload | wsgi_host | gunicorn sync | speed ratio | wsgi_host peak RSS | gunicorn peak RSS |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
