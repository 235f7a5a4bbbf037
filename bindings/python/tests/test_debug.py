import chunkbuf


def test_leak_report_lists_live_tracked_objects():
    chunkbuf.debug.track()
    try:
        with chunkbuf.Pool() as pool:
            b = chunkbuf.Buffer(b"x" * 100, pool=pool)
            view = b.split_to(10)
            lines = chunkbuf.debug.report(pool)
            assert any("view" in line for line in lines), lines
            b.close()
            view.release()
            assert chunkbuf.debug.report(pool) == []
    finally:
        chunkbuf.debug.track(False)


def test_untracked_objects_are_not_reported():
    with chunkbuf.Pool() as pool:
        view = chunkbuf.View(b"untracked", pool=pool)
        assert chunkbuf.debug.report(pool) == []
        assert view == b"untracked"
