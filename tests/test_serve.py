"""`terrain serve` starts a real local Prefect server when none is configured."""

from __future__ import annotations

import socket

import pytest

from flows.serve import _healthy, local_prefect_server

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_local_server_starts_answers_and_stops():
    port = free_port()
    with local_prefect_server(port) as api_url:
        assert api_url == f"http://127.0.0.1:{port}/api"
        assert _healthy(api_url)
    assert not _healthy(api_url)
