"""The WSGI application both servers run in the host benchmark: reads the
request body in 1 MiB pieces and answers its length."""


def app(environ, start_response):
    stream, n = environ["wsgi.input"], 0
    while True:  # until EOF
        chunk = stream.read(1 << 20)
        if not chunk:
            break
        n += len(chunk)
    body = str(n).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
