"""SIGTERM and Ctrl-C stop a run the same way, even when a library turns the signal's exception
into its own (DuckDB's "Query interrupted")."""

from __future__ import annotations

import os
import signal
import time

import pytest

from flashpoint.cli.options import Terminated, sigterm_as_interrupt, stop_status


def _signalled(signum: int) -> None:
    """A library call that the signal interrupts and that reports it as its own error."""
    try:
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler runs here, long before the sleep ends
    except KeyboardInterrupt:
        raise RuntimeError("Query interrupted") from None


def test_sigterm_turned_into_a_library_error_still_stops_the_run():
    with pytest.raises(Terminated) as stopped, sigterm_as_interrupt():
        _signalled(signal.SIGTERM)
    assert isinstance(stopped.value.__cause__, RuntimeError)
    assert stop_status(stopped.value) == ("terminated", 143)


def test_ctrl_c_turned_into_a_library_error_is_an_interruption():
    with pytest.raises(KeyboardInterrupt) as stopped, sigterm_as_interrupt():
        _signalled(signal.SIGINT)
    assert not isinstance(stopped.value, Terminated)
    assert stop_status(stopped.value) == ("interrupted", 130)


def test_an_error_with_no_signal_is_left_alone_and_the_handlers_restored():
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with pytest.raises(RuntimeError, match="disk full"), sigterm_as_interrupt():
        raise RuntimeError("disk full")
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
