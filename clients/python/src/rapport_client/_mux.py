"""The call table of one connection, free of I/O so the blocking and asyncio clients share it.

The clients feed it every frame they read and write whatever it returns; it routes Responses
to calls by call_id and applies the protocol's rules for GoAway and connection loss. It is not
thread-safe: the blocking client calls it under its lock, the asyncio client from its loop.
"""
from __future__ import annotations

from typing import NamedTuple, Optional, Protocol

from . import _wire
from .status import Internal, RpcError, StatusCode, Unavailable, rpc_error


class Sink(Protocol):
    """Where the mux delivers one call's (or ping's) results; must not block."""

    streaming: bool

    def on_message(self, payload: bytes) -> None: ...

    def on_close(self, error: Optional[RpcError]) -> None: ...


class GoAway(NamedTuple):
    """The server's GoAway: why it is closing, and the highest call id it started."""

    code: StatusCode
    message: str
    last_call_id: int


class Mux:
    def __init__(self) -> None:
        self._next_call_id = 1
        self._next_nonce = 1
        self._calls: dict[int, Sink] = {}
        self._pings: dict[int, Sink] = {}
        self.goaway: Optional[GoAway] = None
        # Set once the connection is unusable; new calls are refused with it.
        self._refusal: Optional[str] = None

    @property
    def in_flight(self) -> int:
        """Calls whose final Response has not arrived and that the caller still waits for."""
        return len(self._calls)

    def _check_open(self) -> None:
        if self._refusal is not None:
            raise Unavailable(self._refusal)
        if self.goaway is not None:
            raise Unavailable(
                f"the server sent GoAway ({self.goaway.code.name}: {self.goaway.message}); "
                "open a new connection for new calls"
            )

    def open_call(self, sink: Sink) -> int:
        """Registers a call and returns its id; ids increase so GoAway.last_call_id is meaningful."""
        self._check_open()
        call_id = self._next_call_id
        self._next_call_id += 1
        self._calls[call_id] = sink
        return call_id

    def abandon(self, call_id: int) -> bool:
        """Stops routing a call (local cancel or deadline); True if it was still in flight.

        The caller then sends Cancel. The server's final Response for the id arrives later
        and is ignored, which is safe because ids are never reused.
        """
        return self._calls.pop(call_id, None) is not None

    def open_ping(self, sink: Sink) -> int:
        self._check_open()
        nonce = self._next_nonce
        self._next_nonce += 1
        self._pings[nonce] = sink
        return nonce

    def abandon_ping(self, nonce: int) -> None:
        self._pings.pop(nonce, None)

    def receive(self, frame: _wire.Frame) -> list[bytes]:
        """Routes one frame from the server; returns frames to send back."""
        kind = frame.WhichOneof("kind")
        if kind == "response":
            return self._response(frame.response)
        if kind == "ping":
            # The protocol lets either side ping; the answer is the same nonce.
            return [_wire.pong(frame.ping.nonce)]
        if kind == "pong":
            sink = self._pings.pop(frame.pong.nonce, None)
            if sink is not None:
                sink.on_close(None)
        elif kind == "go_away":
            self._go_away(frame.go_away)
        # Anything else (a kind this client does not know) is ignored so that a newer server
        # can add frame kinds without breaking older clients.
        return []

    def _response(self, response) -> list[bytes]:
        call_id = response.call_id
        sink = self._calls.get(call_id)
        if sink is None:
            return []  # a call abandoned locally (deadline, cancel): its late answer is expected
        if not response.end_of_stream:
            if sink.streaming:
                sink.on_message(response.payload)
                return []
            del self._calls[call_id]
            sink.on_close(Internal(f"the server sent a non-final Response for unary call {call_id}"))
            return [_wire.cancel(call_id)]
        del self._calls[call_id]
        code = response.status.code if response.HasField("status") else 0
        if code == StatusCode.OK:
            if not sink.streaming:
                sink.on_message(response.payload)
            sink.on_close(None)
        else:
            sink.on_close(rpc_error(code, response.status.message, response.trailers))
        return []

    def _go_away(self, go_away) -> None:
        code = StatusCode.from_wire(go_away.status.code)
        self.goaway = GoAway(code, go_away.status.message, go_away.last_call_id)
        # Calls above last_call_id were never started and will never be answered.
        unstarted = [call_id for call_id in self._calls if call_id > go_away.last_call_id]
        for call_id in unstarted:
            self._calls.pop(call_id).on_close(
                Unavailable(
                    f"the server sent GoAway ({code.name}: {go_away.status.message}) before starting "
                    f"call {call_id}; it is safe to retry on a new connection"
                )
            )

    def close(self, error: RpcError, refusal: str) -> None:
        """Fails every call and ping with ``error``; later calls are refused with ``refusal``."""
        if self._refusal is None:
            self._refusal = refusal
        calls, pings = list(self._calls.values()), list(self._pings.values())
        self._calls.clear()
        self._pings.clear()
        for sink in calls + pings:
            sink.on_close(error)

    def lost(self, reason: str) -> None:
        """The connection ended: every waiting call fails UNAVAILABLE, as the protocol asks."""
        if self.goaway is not None:
            reason = f"{reason} after GoAway ({self.goaway.code.name}: {self.goaway.message})"
        self.close(Unavailable(reason), f"{reason}; open a new connection")
