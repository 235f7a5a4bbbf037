"""wsgi_host end to end: real clients (http.client, curl) against the C
server embedding CPython, WSGI apps under wsgiref's validator and Flask,
checksums of every body, keep-alive, chunked bodies, slow uploads read
while they arrive, client disconnects, concurrency and flat memory."""
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import threading

import pytest

HOST = os.environ.get("WSGI_HOST", "")
HERE = os.path.dirname(os.path.abspath(__file__))
HIGH_WATER = 256 * 1024


class Server:
    def __init__(self, *args):
        env = dict(os.environ)
        self.proc = subprocess.Popen([HOST, "--app", "apps:app", "--workers", "6",
                                      "--high-water", str(HIGH_WATER), *args],
                                     stdout=subprocess.PIPE, env=env, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("listening on 127.0.0.1:"), line
        self.port = int(line.rsplit(":", 1)[1])

    def connect(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(20) == 0


@pytest.fixture(scope="module")
def server():
    if not HOST:
        pytest.skip("WSGI_HOST (the wsgi_host binary) is not set")
    s = Server()
    yield s
    s.stop()


def body_of(n, seed=0):
    """n deterministic, non-repeating-looking bytes."""
    out = bytearray()
    block = hashlib.sha256(b"seed%d" % seed).digest()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block * 64
    return bytes(out[:n])


def post(conn, path, body, headers=None, **kw):
    conn.request("POST", path, body, headers or {}, **kw)
    r = conn.getresponse()
    return r.status, r.read()


def expect_digest(status, payload, body):
    assert status == 200, payload
    got = json.loads(payload)
    assert got["length"] == len(body) and got["sha256"] == hashlib.sha256(body).hexdigest()
    return got


def test_content_length_bodies_keep_alive(server):
    conn = server.connect()
    for i, n in enumerate([0, 1, 100, 65536, 300 * 1024, 5 << 20]):
        body = body_of(n, i)
        expect_digest(*post(conn, "/sha", body), body)
    sock = conn.sock
    body = body_of(1000)
    expect_digest(*post(conn, "/sha_lines", body), body)
    assert conn.sock is sock, "the connection was kept alive"
    conn.close()


def test_chunked_bodies(server):
    conn = server.connect()
    body = body_of(3 << 20, 7)
    pieces = [body[i:i + 70000] for i in range(0, len(body), 70000)]
    expect_digest(*post(conn, "/sha", iter(pieces), encode_chunked=True), body)
    lines = b"".join(b"line %d\n" % i for i in range(20000))
    expect_digest(*post(conn, "/sha_lines", iter([lines[:12345], lines[12345:]]), encode_chunked=True), lines)
    conn.close()


def test_curl(server, tmp_path):
    body = body_of(2 << 20, 3)
    path = tmp_path / "body.bin"
    path.write_bytes(body)
    url = "http://127.0.0.1:%d" % server.port
    digest = hashlib.sha256(body).hexdigest()
    # Two requests on one connection (curl reuses it), then a chunked upload.
    out = subprocess.run(["curl", "-sS", "--fail", "--data-binary", "@%s" % path, url + "/sha",
                          "--next", "--data-binary", "@%s" % path, url + "/flask/stream"],
                         capture_output=True, check=True, timeout=60).stdout
    answers = [json.loads(part) for part in out.replace(b"}{", b"}\n{").splitlines()]
    assert [a["sha256"] for a in answers] == [digest, digest]
    out = subprocess.run(["curl", "-sS", "--fail", "-H", "Transfer-Encoding: chunked", "--data-binary",
                          "@%s" % path, url + "/flask/data"], capture_output=True, check=True, timeout=60).stdout
    assert json.loads(out)["sha256"] == digest


def test_flask_stream_and_get_data(server):
    conn = server.connect()
    body = body_of(1 << 20, 11)
    for path in ("/flask/stream", "/flask/data"):
        expect_digest(*post(conn, path, body, {"Content-Type": "application/octet-stream"}), body)
        expect_digest(*post(conn, path, iter([body[:1000], body[1000:]]), encode_chunked=True), body)
    conn.close()


def raw_request(port, head):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(head)
    return s


def read_until(sock_file, marker):
    data = b""
    while marker not in data:  # bounded by the socket timeout
        line = sock_file.readline()
        assert line, "connection closed before %r" % marker
        data += line
    return data


def test_handler_reads_while_a_slow_upload_arrives(server):
    """The client sends 20 lines ~50 ms apart and, before each next line,
    reads the handler's answer to the previous one: the handler runs and
    reads while the body is still arriving."""
    s = raw_request(server.port, b"POST /echo_lines HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
    f = s.makefile("rb")
    for i in range(20):
        line = b"line %d\n" % i
        s.sendall(b"%x\r\n%s\r\n" % (len(line), line))
        got = read_until(f, b"got " + line)  # the chunked response carries it
        assert b"got " + line in got
        threading.Event().wait(0.05)  # pacing: the upload trickles over ~1 s
    s.sendall(b"0\r\n\r\n")
    assert b"0\r\n" in read_until(f, b"0\r\n")
    s.close()


def test_slow_content_length_upload_checksum(server):
    body = body_of(200000, 5)
    s = raw_request(server.port, b"POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body))
    for i in range(0, len(body), 10000):
        s.sendall(body[i:i + 10000])
        threading.Event().wait(0.05)  # 20 pieces over ~1 s
    f = s.makefile("rb")
    head = read_until(f, b"\r\n\r\n")
    length = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")][0].split(b":")[1])
    got = json.loads(f.read(length))
    assert got["sha256"] == hashlib.sha256(body).hexdigest() and got["reads"] > 1
    s.close()


def test_client_disconnect_mid_body_aborts_the_read(server):
    s = raw_request(server.port, b"POST /abort_probe HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
    s.sendall(b"x" * 100000)
    s.close()  # mid-body
    conn = server.connect()
    conn.request("GET", "/last_abort")
    r = conn.getresponse()
    aborts = json.loads(r.read())["aborts"]
    assert ["AbortedError", 104] in aborts  # ECONNRESET, from the I/O thread's abort
    body = body_of(70000)
    expect_digest(*post(conn, "/sha", body), body)  # the server keeps serving
    conn.close()


def test_several_requests_at_once(server):
    """Four handlers must be inside the application together (a barrier),
    and eight concurrent uploads all arrive intact."""
    results = []

    def barrier_call():
        conn = server.connect()
        results.append(post(conn, "/barrier", body_of(100000)))
        conn.close()
    threads = [threading.Thread(target=barrier_call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [json.loads(p)["together"] for _, p in results] == [True] * 4

    digests = {}

    def upload(i):
        conn = server.connect()
        body = body_of(2 << 20, 100 + i)
        status, payload = post(conn, "/sha", body)
        digests[i] = (status, json.loads(payload)["sha256"], hashlib.sha256(body).hexdigest())
        conn.close()
    threads = [threading.Thread(target=upload, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(status == 200 and a == b for status, a, b in digests.values()) and len(digests) == 8


def test_unread_bodies_and_bad_requests(server):
    conn = server.connect()
    status, payload = post(conn, "/ignore", body_of(1 << 20))
    assert status == 200 and json.loads(payload) == {"ignored": True}
    body = body_of(1000)
    expect_digest(*post(conn, "/sha", body), body)  # the unread body was drained: same connection
    conn.close()
    for head in (b"NONSENSE\r\n\r\n",
                 b"POST /sha HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                 b"POST /sha HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                 b"GET / HTTP/2.0\r\n\r\n"):
        s = raw_request(server.port, head)
        reply = s.makefile("rb").read()
        assert reply.split(b" ")[1] in (b"400", b"505"), reply
        s.close()
    s = raw_request(server.port, b"POST /sha HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    reply = s.makefile("rb").read()  # the handler sees an aborted body; the connection ends
    assert b"HTTP/1.1 400" in reply or reply == b"" or b"HTTP/1.1 500" in reply
    s.close()
    conn = server.connect()
    expect_digest(*post(conn, "/sha", body), body)
    conn.close()


def test_heads_that_are_not_http_get_400(server):
    for head in (b"POST /sha HTTP/1.1\r\nContent-Length : 49\r\n\r\n"  # a name with a space: not framing
                 b"GET /rss HTTP/1.1\r\nHost: x\r\n\r\n0123456789012345678",
                 b"POST /sha HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
                 b" /sha HTTP/1.1\r\n\r\n",  # no method
                 b"GET  /sha HTTP/1.1\r\n\r\n",  # two spaces
                 b"GET /s ha HTTP/1.1\r\n\r\n",  # a space in the target
                 b"GET /sha HTTP/1.1\nHost: x\n\n"):  # bare LFs: answered at once, not after the read timeout
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        s.sendall(head)
        reply = s.makefile("rb").read()
        s.close()
        assert reply.startswith(b"HTTP/1.1 400") and reply.count(b"HTTP/1.1 ") == 1, (head, reply)


def test_responses_that_break_http_do_not_reach_the_wire_as_given(server):
    for path in ("/broken/crlf", "/broken/negative_length"):
        s = raw_request(server.port, b"GET %s HTTP/1.1\r\n\r\n" % path.encode())
        reply = s.makefile("rb").read()
        s.close()
        assert reply.startswith(b"HTTP/1.1 500") and b"evil" not in reply and b"-5" not in reply, reply
    s = raw_request(server.port, b"GET /broken/long_body HTTP/1.1\r\n\r\n")
    reply = s.makefile("rb").read()  # the declared 3 bytes, then the connection ends
    s.close()
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"\r\n\r\nabc"), reply
    conn = server.connect()
    body = body_of(1000)
    expect_digest(*post(conn, "/sha", body), body)  # the server goes on serving
    conn.close()


def rss_hwm(server):
    conn = server.connect()
    conn.request("GET", "/rss")
    got = json.loads(conn.getresponse().read())
    conn.close()
    return got["hwm_kib"]


def upload_generated(server, total, piece=1 << 20):
    """Uploads total bytes made piece by piece (the client never holds the
    body); returns the server's answer and the expected digest."""
    h = hashlib.sha256()
    block = body_of(piece, 9)

    def pieces():
        sent = 0
        while sent < total:
            chunk = block[: min(piece, total - sent)]
            h.update(chunk)
            sent += len(chunk)
            yield chunk
    conn = server.connect(timeout=300)
    conn.request("POST", "/sha", pieces(), {"Content-Length": str(total)})
    r = conn.getresponse()
    got = json.loads(r.read())
    conn.close()
    return got, h.hexdigest()


@pytest.mark.parametrize("mib", [128] + ([1024] if os.environ.get("WSGI_HOST_BIG") else []))
def test_large_upload_with_flat_memory(server, mib):
    before = rss_hwm(server)
    got, digest = upload_generated(server, mib << 20)
    assert got["length"] == mib << 20 and got["sha256"] == digest
    grown = rss_hwm(server) - before
    # The body never piles up: the high-water mark holds the socket back.
    assert grown < 32 * 1024, "peak RSS grew by %d KiB for a %d MiB upload" % (grown, mib)
