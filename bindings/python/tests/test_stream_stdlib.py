"""Standard-library readers consume a Stream filled by a writer thread."""
import csv
import email.parser
import gzip
import io
import json
import tarfile

import chunkbuf

from conftest import feed


def pieces(data, size=7):
    return [data[i:i + size] for i in range(0, len(data), size)]


def test_is_a_buffered_binary_file():
    assert isinstance(chunkbuf.Stream(), io.BufferedIOBase)


def test_text_io_wrapper():
    s = chunkbuf.Stream()
    feed(s, pieces("héllo\nwörld\n".encode()))
    with io.TextIOWrapper(s, encoding="utf-8") as text:
        assert text.readlines() == ["héllo\n", "wörld\n"]


def test_csv():
    s = chunkbuf.Stream()
    feed(s, pieces(b'name,qty\r\n"a, b",1\r\nc,2\r\n'))
    rows = list(csv.reader(io.TextIOWrapper(s, encoding="ascii", newline="")))
    assert rows == [["name", "qty"], ["a, b", "1"], ["c", "2"]]


def test_json_load():
    doc = {"key": [1, 2, {"nested": "value"}], "n": None}
    s = chunkbuf.Stream()
    feed(s, pieces(json.dumps(doc).encode()))
    assert json.load(s) == doc


def test_gzip():
    payload = b"compressible " * 5000
    s = chunkbuf.Stream()
    feed(s, pieces(gzip.compress(payload), 1000))
    with gzip.GzipFile(fileobj=s, mode="rb") as z:
        assert z.read() == payload


def test_tarfile_stream_mode():
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, body in (("a.txt", b"first file"), ("dir/b.bin", bytes(range(256)) * 40)):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    s = chunkbuf.Stream()
    feed(s, pieces(raw.getvalue(), 3000))
    seen = {}
    with tarfile.open(fileobj=s, mode="r|") as tar:
        for member in tar:
            seen[member.name] = tar.extractfile(member).read()
    assert seen == {"a.txt": b"first file", "dir/b.bin": bytes(range(256)) * 40}


def test_email_bytes_parser():
    message = (b"From: a@example.com\r\nTo: b@example.com\r\nSubject: chunked\r\n"
               b"Content-Type: text/plain\r\n\r\nbody line 1\r\nbody line 2\r\n")
    s = chunkbuf.Stream()
    feed(s, pieces(message, 11))
    msg = email.parser.BytesParser().parse(s)
    assert msg["Subject"] == "chunked" and msg["To"] == "b@example.com"
    assert msg.get_payload() == "body line 1\nbody line 2\n"  # the parser reads text mode
