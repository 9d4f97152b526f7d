"""A Ctrl-C that Python swallows (raised inside a finaliser or a C callback) still stops a run."""

import os
import signal

import pytest

from govsocial.workflow.writer import ResultsWriter


def test_a_swallowed_ctrl_c_stops_the_commit_and_leaves_nothing(tmp_path):
    root = tmp_path / "results"
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        with ResultsWriter([root]) as writer:
            writer.stage_file(root / "report.html").write_text("<html>")
            try:
                os.kill(os.getpid(), signal.SIGINT)  # the handler raises here ...
            except KeyboardInterrupt:
                pass  # ... and something swallows it, as "Exception ignored in ..." does
            writer.commit()
    assert not (root / "report.html").exists()
    assert signal.getsignal(signal.SIGINT) is before  # the handler is put back


def test_check_interrupted_is_quiet_without_ctrl_c(tmp_path):
    with ResultsWriter([tmp_path / "results"]) as writer:
        writer.check_interrupted()
        assert writer.commit() == []
