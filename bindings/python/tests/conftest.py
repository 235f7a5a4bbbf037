import gc
import threading
import time

import pytest

import chunkbuf


class CallCounter:
    """Stands in for a module's `lib`, counting calls per function name."""

    def __init__(self, lib):
        self._lib = lib
        self.calls = {}

    def __getattr__(self, name):
        target = getattr(self._lib, name)
        if not callable(target):
            return target

        def counted(*args):
            self.calls[name] = self.calls.get(name, 0) + 1
            return target(*args)
        return counted


@pytest.fixture
def count_calls(monkeypatch):
    """count_calls(module) replaces module.lib by a counting proxy."""
    def install(module):
        counter = CallCounter(module.lib)
        monkeypatch.setattr(module, "lib", counter)
        return counter
    return install


def feed(stream, chunks, delay=0.01, eof=True):
    """Start a thread writing chunks to stream (then EOF); returns it."""
    def run():
        for chunk in chunks:
            time.sleep(delay)
            stream.write(chunk)
        if eof:
            stream.write_eof()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def collect():
    for _ in range(3):
        gc.collect()


@pytest.fixture
def pool():
    with chunkbuf.Pool() as p:
        yield p
