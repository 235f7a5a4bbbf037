"""WSGI applications the wsgi_host tests run.

    apps:app        routes by path: /flask/... to a Flask application, the
                    rest to small apps wrapped in wsgiref.validate.validator
                    (which checks both the server and the app). Flask reads
                    with read() and no size, which the validator forbids but
                    wsgi.input_terminated allows, so it runs unwrapped.
                    /broken/... are apps that break HTTP in their response
                    (the validator would stop them first), to show what the
                    host does with them.
"""
import hashlib
import json
import threading
from wsgiref.validate import validator

import chunkbuf

_CHUNK = 64 * 1024
_aborts = []  # (exception class name, abort code) of bodies that failed
_aborted = threading.Event()
_barrier = threading.Barrier(4)


def _json(start_response, obj, status="200 OK"):
    body = json.dumps(obj).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _digest(stream, size=_CHUNK):
    """(length, sha256 hex, how many reads) of the rest of stream."""
    h, n, reads = hashlib.sha256(), 0, 0
    while True:  # until EOF
        chunk = stream.read(size)
        if not chunk:
            return n, h.hexdigest(), reads
        reads += 1
        n += len(chunk)
        h.update(chunk)


def sha(environ, start_response):
    n, digest, reads = _digest(environ["wsgi.input"])
    return _json(start_response, {"length": n, "sha256": digest, "reads": reads})


def sha_lines(environ, start_response):
    """Reads the body line by line (readline and iteration)."""
    stream = environ["wsgi.input"]
    h, n = hashlib.sha256(), 0
    first = stream.readline(1 << 20)
    h.update(first)
    n += len(first)
    for line in stream:
        h.update(line)
        n += len(line)
    return _json(start_response, {"length": n, "sha256": h.hexdigest()})


def echo_lines(environ, start_response):
    """Streams one response line per request line, as each arrives: the
    client sees the answer to line i before it sends line i + 1."""
    stream = environ["wsgi.input"]
    start_response("200 OK", [("Content-Type", "text/plain")])

    def lines():
        while True:  # until EOF
            line = stream.readline(1 << 16)
            if not line:
                return
            yield b"got " + line
    return lines()


def abort_probe(environ, start_response):
    """Reads until the body fails; records how it failed."""
    try:
        _digest(environ["wsgi.input"])
    except chunkbuf.AbortedError as exc:
        _aborts.append((type(exc).__name__, exc.abort_code))
        _aborted.set()
        return _json(start_response, {"aborted": True}, "400 Bad Request")
    return _json(start_response, {"aborted": False})


def last_abort(environ, start_response):
    """Waits (10 s at most) until a body failed; answers how."""
    _aborted.wait(10)
    return _json(start_response, {"aborts": _aborts})


def barrier(environ, start_response):
    """Passes only when 4 requests are in the application at once."""
    environ["wsgi.input"].read(_CHUNK)
    try:
        _barrier.wait(10)
    except threading.BrokenBarrierError:
        return _json(start_response, {"together": False}, "500 Internal Server Error")
    return _json(start_response, {"together": True})


def ignore(environ, start_response):
    """Answers without reading the body."""
    return _json(start_response, {"ignored": True})


def rss(environ, start_response):
    with open("/proc/self/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    kib = lambda k: int(fields[k].split()[0])
    return _json(start_response, {"rss_kib": kib("VmRSS"), "hwm_kib": kib("VmHWM")})


_ROUTES = {"/sha": sha, "/sha_lines": sha_lines, "/echo_lines": echo_lines, "/abort_probe": abort_probe,
           "/last_abort": last_abort, "/barrier": barrier, "/ignore": ignore, "/rss": rss}


def _route(environ, start_response):
    handler = _ROUTES.get(environ["PATH_INFO"])
    if handler is None:
        return _json(start_response, {"error": "no route"}, "404 Not Found")
    return handler(environ, start_response)


def _flask_app():
    from flask import Flask, request
    flask = Flask(__name__)

    @flask.post("/flask/stream")
    def flask_stream():
        n, digest, _ = _digest(request.stream)
        return {"length": n, "sha256": digest}

    @flask.post("/flask/data")
    def flask_data():
        data = request.get_data()
        return {"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return flask


_flask = _flask_app()


_validated = validator(_route)


def _broken(environ, start_response):
    """Responses the host must not put on the wire as given."""
    path = environ["PATH_INFO"]
    if path == "/broken/crlf":  # a header value that would add a header
        start_response("200 OK", [("X-A", "a\r\nSet-Cookie: evil=1")])
    elif path == "/broken/negative_length":
        start_response("200 OK", [("Content-Length", "-5")])
    else:  # /broken/long_body: more bytes than declared
        start_response("200 OK", [("Content-Length", "3")])
    return [b"abcdefgh"]


def app(environ, start_response):
    if environ["PATH_INFO"].startswith("/flask/"):
        return _flask(environ, start_response)
    if environ["PATH_INFO"].startswith("/broken/"):
        return _broken(environ, start_response)
    return _validated(environ, start_response)

