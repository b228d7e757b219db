"""Cancellation: abandoning a call sends Cancel, and the server really stops the call.

The daemons here allow one call per connection, so the next call can only be admitted once
the server has processed the Cancel and finished the cancelled call.
"""
from __future__ import annotations

import asyncio
import gc
import time

import pytest

from rapport.diagnostics.v1 import diagnostics_pb2
from rapport_client import AsyncClient, Cancelled, Client, ResourceExhausted, StatusCode
from wire_helpers import ECHO, RawConnection


def slow_echo(ms: int = 20000) -> diagnostics_pb2.EchoRequest:
    return diagnostics_pb2.EchoRequest(payload=b"slow", delay_ms=ms)


def admitted_soon(call, limit: float = 3.0):
    """Retries ``call`` while the server still counts the cancelled call as in flight.

    The server forgets a cancelled call only after its handler has stopped, shortly after the
    Cancel arrives; without the Cancel the slot stays taken for the whole 20 s echo.
    """
    give_up = time.monotonic() + limit
    while True:
        try:
            return call()
        except ResourceExhausted:
            if time.monotonic() > give_up:
                raise
            time.sleep(0.02)


def test_cancel_frame_gets_cancelled(daemon):
    with RawConnection(daemon.port, token=daemon.token) as raw:
        raw.request(7, ECHO, slow_echo().SerializeToString())
        raw.cancel(7)
        started = time.monotonic()
        frame = raw.receive()
        assert time.monotonic() - started < 2
        assert frame.response.call_id == 7 and frame.response.end_of_stream
        assert frame.response.status.code == StatusCode.CANCELLED
        assert frame.response.status.message == "call cancelled by the client"
        # Cancel of an unknown or finished id is ignored; the connection keeps working.
        raw.cancel(7)
        raw.cancel(12345)
        raw.request(8, "/rapport.health.v1.Health/Check")
        frame = raw.receive()
        assert frame.response.call_id == 8 and frame.response.status.code == 0


def test_closing_an_abandoned_stream_cancels_it(start_daemon):
    daemon = start_daemon("--max-concurrent-calls", "1")
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=10) as client:
        stream = client.health.watch()
        assert next(stream).status == 1
        with pytest.raises(ResourceExhausted, match="limit 1"):
            client.health.check()
        stream.close()
        assert admitted_soon(client.health.check).status == 1
    assert "call cancelled by the client" in daemon.log or "CANCELLED" in daemon.log


def test_garbage_collected_stream_is_cancelled(start_daemon):
    daemon = start_daemon("--max-concurrent-calls", "1")
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=10) as client:
        stream = client.health.watch()
        next(stream)
        del stream
        gc.collect()
        assert admitted_soon(client.health.check).status == 1


def test_break_out_of_with_block_cancels_the_stream(start_daemon):
    daemon = start_daemon("--max-concurrent-calls", "1")
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=10) as client:
        with client.health.watch() as stream:
            for message in stream:
                assert message.status == 1
                break
        assert admitted_soon(client.health.check).status == 1


def test_cancelling_the_task_of_an_async_unary_call(start_daemon):
    daemon = start_daemon("--max-concurrent-calls", "1")

    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, token=daemon.token, timeout=10) as client:
            task = asyncio.create_task(client.diagnostics.echo(slow_echo()))
            await client.ping()  # the Request was read by the server before the Ping
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            give_up = time.monotonic() + 3
            while True:
                try:
                    return await client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=b"next"))
                except ResourceExhausted:
                    assert time.monotonic() < give_up, "the server never finished the cancelled call"
                    await asyncio.sleep(0.02)

    assert asyncio.run(scenario()).payload == b"next"


def test_cancelling_the_task_of_an_async_stream(start_daemon):
    daemon = start_daemon("--max-concurrent-calls", "1")

    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, token=daemon.token, timeout=10) as client:
            first = asyncio.get_running_loop().create_future()

            async def consume():
                async for message in client.health.watch():
                    if not first.done():
                        first.set_result(message)

            task = asyncio.create_task(consume())
            assert (await first).status == 1
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            give_up = time.monotonic() + 3
            while True:
                try:
                    return await client.health.check()
                except ResourceExhausted:
                    assert time.monotonic() < give_up, "the server never finished the cancelled stream"
                    await asyncio.sleep(0.02)

    assert asyncio.run(scenario()).status == 1


def test_close_fails_calls_in_flight_with_cancelled(daemon):
    client = Client(daemon.host, daemon.port, token=daemon.token)
    stream = client.health.watch()
    client.close()
    with pytest.raises(Cancelled, match="the client was closed"):
        list(stream)
