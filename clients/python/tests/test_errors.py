"""Failures: every documented error status reaches the caller as the right RpcError."""
from __future__ import annotations

import asyncio
import time

import pytest

from rapport.diagnostics.v1 import diagnostics_pb2
from rapport_client import (
    AsyncClient,
    Client,
    DeadlineExceeded,
    InvalidArgument,
    ResourceExhausted,
    RpcError,
    StatusCode,
    Unavailable,
    Unimplemented,
)

ECHO = "/rapport.diagnostics.v1.Diagnostics/Echo"


def echo(payload: bytes = b"", delay_ms: int = 0) -> diagnostics_pb2.EchoRequest:
    return diagnostics_pb2.EchoRequest(payload=payload, delay_ms=delay_ms)


def test_unknown_method_is_unimplemented(client):
    with pytest.raises(Unimplemented) as caught:
        client.call_unary("/rapport.nope.v1.Nope/Missing", b"")
    assert caught.value.code is StatusCode.UNIMPLEMENTED
    assert "unknown method '/rapport.nope.v1.Nope/Missing'" in caught.value.message
    assert caught.value.trailers == {}


def test_refused_calls_are_logged_without_their_payload(daemon, client):
    # Refused before any handler runs, yet logged like a handler's failure: one line with the
    # request id, call id, method and status, never the payload.
    with pytest.raises(Unimplemented):
        client.call_unary("/rapport.nope.v1.Nope/Logged", b"secret-payload", metadata={"x-request-id": "refusal-log-1"})
    line = daemon.wait_for_line("call refused", "request_id=refusal-log-1")
    assert "method=/rapport.nope.v1.Nope/Logged" in line
    assert "status=UNIMPLEMENTED" in line
    assert "call_id=" in line
    assert "secret-payload" not in daemon.log


def test_undecodable_payload_is_invalid_argument(client):
    with pytest.raises(InvalidArgument, match="does not decode as rapport.diagnostics.v1.EchoRequest"):
        client.call_unary(ECHO, b"\xff\xff\xff")


def test_echo_delay_over_the_maximum_is_invalid_argument(client):
    with pytest.raises(InvalidArgument, match="delay_ms 60001 exceeds the maximum of 60000"):
        client.diagnostics.echo(echo(delay_ms=60001))


def test_deadline_exceeded_quickly(client):
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded) as caught:
        client.diagnostics.echo(echo(delay_ms=2000), timeout=0.2)
    elapsed = time.monotonic() - started
    assert caught.value.code is StatusCode.DEADLINE_EXCEEDED
    assert 0.19 <= elapsed < 0.6
    # The connection is fine afterwards, and the late server answer is ignored.
    assert client.diagnostics.echo(echo(b"after")).payload == b"after"


def test_server_enforces_the_sent_deadline(daemon):
    # The raw exchange shows the server's own DEADLINE_EXCEEDED (timeout_ms is sent): the
    # client's local timer is set slightly later so that the server's answer wins the race.
    from wire_helpers import RawConnection

    with RawConnection(daemon.port, token=daemon.token) as raw:
        raw.request(1, ECHO, echo(delay_ms=2000).SerializeToString(), timeout_ms=100)
        frame = raw.receive()
        assert frame.response.call_id == 1 and frame.response.end_of_stream
        assert frame.response.status.code == StatusCode.DEADLINE_EXCEEDED
        assert frame.response.status.message == "deadline of 100 ms exceeded"


def test_zero_or_negative_timeout_fails_without_sending(client):
    with pytest.raises(DeadlineExceeded):
        client.health.check(timeout=0)


def test_async_deadline(daemon):
    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, token=daemon.token) as c:
            started = time.monotonic()
            with pytest.raises(DeadlineExceeded):
                await c.diagnostics.echo(echo(delay_ms=2000), timeout=0.2)
            assert time.monotonic() - started < 0.6
            assert (await c.diagnostics.echo(echo(b"ok"))).payload == b"ok"

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "size, what",
    [(4 * 1024 * 1024, "request payload of"), (4 * 1024 * 1024 - 20, "request frame of")],
    ids=["payload-too-big", "envelope-tips-it-over"],
)
def test_request_over_the_frame_limit_fails_locally_and_the_connection_survives(client, size, what):
    with pytest.raises(ResourceExhausted, match=f"{what} .* exceeds the frame limit of 4194304 bytes; not sent"):
        client.diagnostics.echo(echo(b"x" * size))
    assert client.goaway is None
    assert client.diagnostics.echo(echo(b"still here")).payload == b"still here"


def test_async_request_over_the_frame_limit(daemon):
    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, token=daemon.token) as c:
            with pytest.raises(ResourceExhausted):
                await c.diagnostics.echo(echo(b"x" * (4 * 1024 * 1024 + 1)))
            assert (await c.diagnostics.echo(echo(b"ok"))).payload == b"ok"

    asyncio.run(scenario())


def test_frame_exactly_at_the_limit_is_accepted_but_its_echo_is_too_large(client):
    # A Request frame of exactly 4 MiB is read (N == max_frame_size is allowed); echoing the
    # payload back would exceed the frame limit, so the call fails and the connection stays.
    from rapport_client import _wire

    def frame_size(payload_size: int) -> int:
        return len(_wire.request(1, ECHO, echo(b"x" * payload_size).SerializeToString(), 0, {}, 1 << 30)) - 4

    size = 4 * 1024 * 1024 - 200
    size += 4 * 1024 * 1024 - frame_size(size)
    assert frame_size(size) == 4 * 1024 * 1024
    with pytest.raises(ResourceExhausted, match="exceeds the frame limit"):
        client.diagnostics.echo(echo(b"x" * size))
    assert client.health.check().status == 1


def test_server_goaway_for_an_oversized_frame_fails_the_call_unavailable(daemon):
    # A client configured with a larger limit than the server's sends the frame; the server
    # answers GoAway RESOURCE_EXHAUSTED and closes: the call was never started.
    with Client(daemon.host, daemon.port, token=daemon.token, max_frame_size=8 * 1024 * 1024, timeout=10) as c:
        with pytest.raises(Unavailable, match="GoAway"):
            c.diagnostics.echo(echo(b"x" * (5 * 1024 * 1024)))
        assert c.goaway is not None
        assert c.goaway.code is StatusCode.RESOURCE_EXHAUSTED
        assert c.goaway.last_call_id == 0
        with pytest.raises(Unavailable):
            c.health.check()


def test_connection_refused_is_unavailable():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connections are refused
        with pytest.raises(Unavailable, match="cannot connect"):
            Client("127.0.0.1", port)

        async def scenario():
            with pytest.raises(Unavailable, match="cannot connect"):
                await AsyncClient.connect("127.0.0.1", port)

        asyncio.run(scenario())


def test_rpc_error_is_picklable():
    import pickle

    error = pickle.loads(pickle.dumps(Unavailable("gone", {"a": "b"})))
    assert isinstance(error, Unavailable) and error.message == "gone" and error.trailers == {"a": "b"}
    assert isinstance(error, RpcError)
