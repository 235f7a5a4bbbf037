"""Runs the examples under examples/python so they cannot rot."""
import os
import pathlib
import subprocess
import sys

import pytest

DIR = pathlib.Path(os.environ.get("CHUNKBUF_EXAMPLES_DIR") or
                   pathlib.Path(__file__).resolve().parents[3] / "examples" / "python")

EXPECTED = {
    "producer_consumer.py": "consumed 60000 lines, sum 599970000 (ok)",
    "asyncio_consumer.py": "header: 10 events, last 'event 9', heartbeat ran yes",
    "http_chunked.py": "body b'chunked bodies stream in' in ",
}


def test_every_example_is_covered():
    assert sorted(p.name for p in DIR.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(name):
    result = subprocess.run([sys.executable, str(DIR / name)], capture_output=True, text=True,
                            timeout=120, env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(EXPECTED[name])
