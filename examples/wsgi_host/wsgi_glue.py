"""The Python half of wsgi_host: builds the WSGI environ around the body
Stream the C host hands over, runs the application, and gives the host
the response head and body chunks to send. The host calls handle() on a
worker thread while its I/O thread is still writing the body into the
Stream; wsgi.input reads block (without the GIL) until the bytes arrive.
"""
import sys
from urllib.parse import unquote

import chunkbuf

# Response headers the host owns (hop-by-hop): an application's are dropped.
_HOP = frozenset(("connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                  "proxy-authenticate", "proxy-authorization"))


def load_app(spec):
    """'module:callable' -> the WSGI application."""
    module, _, name = spec.partition(":")
    obj = __import__(module, fromlist=["_"])
    for part in (name or "app").split("."):
        obj = getattr(obj, part)
    return obj


def environ_for(body, method, target, version, headers, peer, peer_port, server_port):
    path, _, query = target.partition("?")
    env = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(path, "latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(server_port),
        "SERVER_PROTOCOL": version,
        "REMOTE_ADDR": peer,
        "REMOTE_PORT": str(peer_port),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        # The body ends where the Stream reports EOF (also for chunked
        # requests), which is what this key promises to Werkzeug and others.
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers:
        if name == "content-type":
            env["CONTENT_TYPE"] = value
        elif name == "content-length":
            env["CONTENT_LENGTH"] = value
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
            env[key] = env[key] + "," + value if key in env else value
    return env


class Response:
    """The application's answer: status and headers from start_response,
    iteration yields the body chunks (write() calls first)."""

    def __init__(self, app, environ):
        self.status = None
        self.headers = None
        self.sent = False
        self._written = []
        self._result = app(environ, self.start_response)

    def start_response(self, status, headers, exc_info=None):
        if exc_info is not None:
            try:
                if self.sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("start_response called twice without exc_info")
        self.status, self.headers = status, headers
        return self._written.append

    def __iter__(self):
        while self._written:
            yield self._written.pop(0)
        for chunk in self._result:
            while self._written:
                yield self._written.pop(0)
            yield chunk
        while self._written:
            yield self._written.pop(0)

    def head(self, http11, keep_alive, head_request):
        """(head bytes, declared Content-Length or -1, chunked, keep_alive)
        for the status and headers given to start_response."""
        if self.status is None:
            raise RuntimeError("the application did not call start_response")
        self.sent = True
        length = -1
        _check_field("status", self.status)
        lines = ["HTTP/1.1 " + self.status]
        for name, value in self.headers:
            _check_field("header name", name)
            _check_field("header value", value)
            low = name.lower()
            if low in _HOP:
                continue
            if low == "content-length":
                if not value.isdigit():  # also refuses a sign: int() would take "-5"
                    raise ValueError("Content-Length must be a non-negative integer, got %r" % (value,))
                length = int(value)
            lines.append(name + ": " + value)
        code = int(self.status[:3])
        bodyless = head_request or code < 200 or code in (204, 304)
        chunked = length < 0 and http11 and not bodyless
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        elif length < 0 and not bodyless:
            keep_alive = False  # the body ends when the connection does
        if not keep_alive:
            lines.append("Connection: close")
        elif not http11:
            lines.append("Connection: keep-alive")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"), length, chunked, keep_alive

    def close(self):
        close = getattr(self._result, "close", None)
        if close is not None:
            close()


def _check_field(what, text):
    """A status, header name or value that would split the response head
    (CR, LF) or end a C string (NUL) is the application's error."""
    if any(c in text for c in "\r\n\0"):
        raise ValueError("the response %s holds CR, LF or NUL: %r" % (what, text))


def handle(app, stream_address, method, target, version, headers, peer, peer_port, server_port):
    """Called by the host on a worker thread. stream_address is the
    chunkbuf_stream * as an integer; from_handle takes this handler's own
    reference, so the host may drop its reference at any time."""
    body = chunkbuf.Stream.from_handle(stream_address)
    env = environ_for(body, method, target, version, headers, peer, peer_port, server_port)
    return Response(app, env)
