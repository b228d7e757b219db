"""Per-connection limits and idle close, seen from the client."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest

from rapport.diagnostics.v1 import diagnostics_pb2
from rapport_client import AsyncClient, Client, ResourceExhausted, StatusCode, Unavailable
from wire_helpers import RawConnection


def test_concurrency_limit(start_daemon):
    daemon = start_daemon("--max-concurrent-calls", "2")
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=10) as client:
        results = []

        def slow(tag: bytes) -> None:
            results.append(client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=tag, delay_ms=600)).payload)

        threads = [threading.Thread(target=slow, args=(tag,)) for tag in (b"a", b"b")]
        for thread in threads:
            thread.start()
        # Both Requests are on the wire once the client counts them; frames leave in call-id
        # order, so the server reads them before the third call's Request.
        give_up = time.monotonic() + 5
        while client.in_flight < 2:
            assert time.monotonic() < give_up, "the two slow calls were never sent"
            time.sleep(0.005)
        with pytest.raises(ResourceExhausted) as refused:
            client.health.check()
        assert "2 calls already in flight on this connection (limit 2)" in refused.value.message
        assert refused.value.code is StatusCode.RESOURCE_EXHAUSTED
        for thread in threads:
            thread.join(timeout=5)
        assert sorted(results) == [b"a", b"b"]
        # The refusal did not cost the connection.
        assert client.goaway is None
        assert client.health.check().status == 1
    # ... and it was logged, as a handler's failure is.
    daemon.wait_for_line("call refused", "method=/rapport.health.v1.Health/Check", "status=RESOURCE_EXHAUSTED")


def test_concurrency_limit_async(start_daemon):
    daemon = start_daemon("--max-concurrent-calls", "2")

    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, token=daemon.token, timeout=10) as client:
            slow = [
                asyncio.create_task(client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=b"s", delay_ms=500)))
                for _ in range(2)
            ]
            # One scheduling pass lets both tasks write their Request; frames leave in call
            # order, so the server reads both before this third one.
            await asyncio.sleep(0)
            with pytest.raises(ResourceExhausted, match="limit 2"):
                await client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=b"third"))
            assert [r.payload for r in await asyncio.gather(*slow)] == [b"s", b"s"]
            assert (await client.health.check()).status == 1

    asyncio.run(scenario())


def test_idle_connection_gets_goaway_unavailable(start_daemon):
    daemon = start_daemon("--idle-timeout", "0.3")
    with RawConnection(daemon.port, token=daemon.token) as raw:
        started = time.monotonic()
        frames = raw.receive_until_closed()
        assert 0.25 < time.monotonic() - started < 3
    assert len(frames) == 1
    go_away = frames[0].go_away
    assert go_away.status.code == StatusCode.UNAVAILABLE
    assert go_away.status.message == "connection idle for 0.3 seconds"
    assert go_away.last_call_id == 0


def test_idle_close_seen_by_the_client(start_daemon):
    daemon = start_daemon("--idle-timeout", "0.3")
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=5) as client:
        assert client.health.check().status == 1
        give_up = time.monotonic() + 5
        while not client.closed:
            assert time.monotonic() < give_up, "the idle connection was never closed"
            time.sleep(0.02)
        assert client.goaway is not None
        assert client.goaway.code is StatusCode.UNAVAILABLE
        assert client.goaway.last_call_id == 1
        with pytest.raises(Unavailable, match="idle"):
            client.health.check()
    # A new connection is served.
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=5) as client:
        assert client.health.check().status == 1


def test_pings_keep_a_connection_from_going_idle(start_daemon):
    daemon = start_daemon("--idle-timeout", "0.5")
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=5) as client:
        for _ in range(8):  # 0.8 s in all, past the idle timeout, with a frame every 0.1 s
            client.ping()
            time.sleep(0.1)
        assert client.goaway is None
        assert client.health.check().status == 1
