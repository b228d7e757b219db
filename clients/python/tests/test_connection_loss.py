"""Connection loss and GoAway, driven by a fake server: calls fail UNAVAILABLE, never hang."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest

from rapport.wire.v1 import frame_pb2
from rapport_client import AsyncClient, Client, Internal, StatusCode, Unavailable
from wire_helpers import FakeServer, go_away, response


def read_requests(conn, count):
    ids = []
    while len(ids) < count:
        frame = conn.receive()
        assert frame is not None, "the client closed the connection"
        if frame.WhichOneof("kind") == "request":
            ids.append(frame.request.call_id)
    return ids


def test_dropped_connection_fails_every_call_in_flight():
    def handler(conn):
        read_requests(conn, 3)  # all three calls are in flight; then the server vanishes

    with FakeServer(handler) as server:
        with Client("127.0.0.1", server.port, timeout=10) as client:
            errors = []

            def call(path):
                try:
                    client.call_unary(path)
                except Exception as error:  # collected for the assertions below
                    errors.append(error)

            stream = client.call_stream("/s.S/Stream")
            threads = [threading.Thread(target=call, args=(f"/s.S/M{i}",)) for i in range(2)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            with pytest.raises(Unavailable, match="closed the connection"):
                next(stream)
            for thread in threads:
                thread.join(timeout=5)
            assert time.monotonic() - started < 3
            assert len(errors) == 2 and all(isinstance(e, Unavailable) for e in errors), errors
            assert client.closed
            with pytest.raises(Unavailable):
                client.call_unary("/s.S/After")
            with pytest.raises(Unavailable):
                client.ping()


def test_dropped_connection_async():
    def handler(conn):
        read_requests(conn, 2)

    with FakeServer(handler) as server:

        async def scenario():
            async with AsyncClient.connect("127.0.0.1", server.port, timeout=10) as client:
                stream = client.call_stream("/s.S/Stream")
                unary = asyncio.create_task(client.call_unary("/s.S/M"))
                with pytest.raises(Unavailable, match="closed the connection"):
                    await stream.__anext__()
                with pytest.raises(Unavailable):
                    await unary
                with pytest.raises(Unavailable):
                    await client.call_unary("/s.S/After")

        asyncio.run(asyncio.wait_for(scenario(), 5))


def test_goaway_fails_unstarted_calls_and_lets_started_ones_finish():
    def handler(conn):
        first, second = read_requests(conn, 2)
        # The server started only the first call; it drains it, then closes.
        conn.send(go_away(StatusCode.UNAVAILABLE, "server is shutting down", last_call_id=first))
        conn.send(response(first, b"done", end=False))
        conn.send(response(first))

    with FakeServer(handler) as server:
        with Client("127.0.0.1", server.port, timeout=5) as client:
            first = client.call_stream("/s.S/First")  # sent at once, so it gets call id 1
            with pytest.raises(Unavailable, match="safe to retry") as second:
                client.call_unary("/s.S/Second")
            assert list(first) == [b"done"]
            assert client.goaway == (StatusCode.UNAVAILABLE, "server is shutting down", 1)
            with pytest.raises(Unavailable, match="GoAway"):
                client.call_unary("/s.S/Third")
    assert second.value.code is StatusCode.UNAVAILABLE


def test_server_ping_is_answered_and_unknown_ids_ignored():
    def handler(conn):
        (call_id,) = read_requests(conn, 1)
        ping = frame_pb2.Frame()
        ping.ping.nonce = 99
        conn.send(ping)
        pong = conn.receive()
        assert pong.WhichOneof("kind") == "pong" and pong.pong.nonce == 99
        conn.send(response(call_id + 1000, b"nobody asked"))  # unknown id: ignored
        conn.send(response(call_id, b"", code=42, message="odd code"))

    with FakeServer(handler) as server:
        with Client("127.0.0.1", server.port, timeout=5) as client:
            with pytest.raises(Exception) as caught:
                client.call_unary("/s.S/M")
            assert caught.value.code is StatusCode.UNKNOWN and caught.value.message == "odd code"


def test_non_final_response_to_a_unary_call_is_internal_and_cancelled():
    cancels = []

    def handler(conn):
        (call_id,) = read_requests(conn, 1)
        conn.send(response(call_id, b"part", end=False))
        frame = conn.receive()
        cancels.append(frame.cancel.call_id if frame.WhichOneof("kind") == "cancel" else None)

    with FakeServer(handler) as server:
        with Client("127.0.0.1", server.port, timeout=5) as client:
            with pytest.raises(Internal, match="non-final Response"):
                client.call_unary("/s.S/M")
    assert cancels == [1]


def test_garbage_from_the_server_fails_calls_unavailable():
    def handler(conn):
        read_requests(conn, 1)
        conn.send_bytes(b"\x00\x00\x00\x03\xff\xff\xff")
        conn.receive_until_closed()

    with FakeServer(handler) as server:
        with Client("127.0.0.1", server.port, timeout=5) as client:
            with pytest.raises(Unavailable, match="not a rapport.wire.v1.Frame"):
                client.call_unary("/s.S/M")
