"""`terrain serve`: run the scheduled flows from one process, without a worker.

Prefect's temporary server never fires cron schedules, so serving needs a real
API server: use PREFECT_API_URL when it is set, otherwise start a local
`prefect server start` on 127.0.0.1 for the lifetime of this process.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from flows import settings

log = logging.getLogger("terrain.serve")


class ServeError(RuntimeError):
    """The local Prefect server could not be started."""


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def local_prefect_server(port: int, timeout_s: float = 120) -> Iterator[str]:
    """Start `prefect server start` on loopback and yield its API URL."""
    api_url = f"http://127.0.0.1:{port}/api"
    if _healthy(api_url):
        log.info("using the Prefect server already running at %s", api_url)
        yield api_url
        return
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    command = [
        sys.executable,
        "-m",
        "prefect",
        "server",
        "start",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log.info("starting a local Prefect server: %s", " ".join(command[2:]))
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout_s
        while not _healthy(api_url):
            if server.poll() is not None:
                raise ServeError(
                    f"the Prefect server stopped at start-up (is port {port} taken? try --port): "
                    f"{server.stderr.read().decode(errors='replace')[-2000:] if server.stderr else ''}"
                )
            if time.monotonic() > deadline:
                raise ServeError(
                    f"the Prefect server did not answer at {api_url} in {timeout_s:.0f} s"
                )
            time.sleep(1)
        log.info("Prefect server ready; UI at http://127.0.0.1:%s", port)
        yield api_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def deployments() -> list:
    """The scheduled deployments, as prefect.yaml declares them for workers."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    # a run scheduled while the previous one still runs waits for it (then the writer
    # lock of flows/warehouse/lock.py keeps the warehouse to one writer)
    one_at_a_time = ConcurrencyLimitConfig(
        limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE
    )

    from flows.pipeline import brief_flow, refresh_flow

    return [
        refresh_flow.to_deployment(
            name="nightly-refresh",
            schedules=[Cron(settings.REFRESH_CRON, timezone=settings.SCHEDULE_TIMEZONE)],
            concurrency_limit=one_at_a_time,
            description="Ingest the exports and rebuild the warehouse, every night.",
        ),
        brief_flow.to_deployment(
            name="monthly-brief",
            schedules=[Cron(settings.BRIEF_CRON, timezone=settings.SCHEDULE_TIMEZONE)],
            concurrency_limit=one_at_a_time,
            description="The brief of the previous month, on the 1st.",
        ),
    ]


def serve_schedules(port: int = 4200) -> None:
    from prefect import serve

    api_url = os.environ.get("PREFECT_API_URL")
    if api_url:
        serve(*deployments())
        return
    with local_prefect_server(port) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        # Settings are read when prefect is first used, so set the URL before serving.
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: api_url}):
            serve(*deployments())
