"""Graceful shutdown (SIGTERM): in-flight calls finish, new ones fail UNAVAILABLE, exit 0."""
from __future__ import annotations

import asyncio
import time

import pytest

from rapport.diagnostics.v1 import diagnostics_pb2
from rapport.health.v1 import health_pb2
from rapport_client import AsyncClient, Client, StatusCode, Unavailable

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def test_graceful_shutdown(start_daemon):
    daemon = start_daemon("--shutdown-grace", "1")
    idle = Client(daemon.host, daemon.port, token=daemon.token, timeout=5)
    assert idle.health.check().status == SERVING

    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, token=daemon.token, timeout=10) as client, AsyncClient.connect(
            daemon.host, daemon.port, token=daemon.token, timeout=10
        ) as watcher:
            watch = watcher.health.watch()
            assert (await watch.__anext__()).status == SERVING
            echo = asyncio.create_task(
                client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=b"in flight", delay_ms=500))
            )
            await asyncio.sleep(0)  # lets the task write its Request
            await client.ping()  # the server has read the Request once the Pong is back
            daemon.terminate()
            started = time.monotonic()

            assert (await echo).payload == b"in flight"
            assert time.monotonic() - started < 1.0
            assert client.goaway is not None and client.goaway.code is StatusCode.UNAVAILABLE
            assert client.goaway.last_call_id == 1
            with pytest.raises(Unavailable):
                await client.health.check()

            # The watcher sees the server stop serving, then the grace period cut it off.
            assert (await watch.__anext__()).status == NOT_SERVING
            with pytest.raises(Unavailable, match="server shut down before the call finished"):
                await watch.__anext__()
            assert 0.8 < time.monotonic() - started < 3

    try:
        asyncio.run(asyncio.wait_for(scenario(), 10))
        # A connection with nothing in flight was closed at once, and the listener is gone.
        with pytest.raises(Unavailable):
            idle.health.check()
        assert idle.goaway is not None and idle.goaway.code is StatusCode.UNAVAILABLE
        with pytest.raises(Unavailable, match="cannot connect"):
            Client(daemon.host, daemon.port, token=daemon.token, connect_timeout=2)
        assert daemon.wait() == 0, daemon.log
    finally:
        idle.close()
