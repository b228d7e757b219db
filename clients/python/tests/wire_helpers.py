"""A bare socket speaking the framing, for tests that must bypass the client library."""
from __future__ import annotations

import socket
import struct
from typing import Optional

from rapport.wire.v1 import frame_pb2

ECHO = "/rapport.diagnostics.v1.Diagnostics/Echo"
CHECK = "/rapport.health.v1.Health/Check"


class RawConnection:
    def __init__(self, port: int, timeout: float = 5.0, token: Optional[str] = None):
        """``token``: sent as ``authorization: Bearer <token>`` with every request."""
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self._buffer = b""
        self._token = token

    def send_bytes(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send(self, frame: frame_pb2.Frame) -> None:
        body = frame.SerializeToString()
        self.sock.sendall(struct.pack(">I", len(body)) + body)

    def request(self, call_id: int, method: str, payload: bytes = b"", timeout_ms: int = 0) -> None:
        frame = frame_pb2.Frame()
        frame.request.call_id = call_id
        frame.request.method = method
        frame.request.payload = payload
        frame.request.timeout_ms = timeout_ms
        if self._token is not None:
            frame.request.metadata["authorization"] = f"Bearer {self._token}"
        self.send(frame)

    def cancel(self, call_id: int) -> None:
        frame = frame_pb2.Frame()
        frame.cancel.call_id = call_id
        self.send(frame)

    def _read_exactly(self, size: int) -> Optional[bytes]:
        while len(self._buffer) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def receive(self) -> Optional[frame_pb2.Frame]:
        """The next frame, or None once the server has closed the connection."""
        prefix = self._read_exactly(4)
        if prefix is None:
            return None
        body = self._read_exactly(struct.unpack(">I", prefix)[0])
        assert body is not None, "connection closed in the middle of a frame"
        return frame_pb2.Frame.FromString(body)

    def receive_until_closed(self) -> list[frame_pb2.Frame]:
        frames = []
        while True:
            frame = self.receive()
            if frame is None:
                return frames
            frames.append(frame)

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "RawConnection":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class FakeServer:
    """A listening socket whose single connection is handled by ``handler(RawConnection)``.

    For what the daemon cannot be made to do on demand: drop a connection mid-call, or
    send frames the client must survive.
    """

    def __init__(self, handler):
        import threading

        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.error: Optional[BaseException] = None
        self._handler = handler
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            sock, _ = self._listener.accept()
            sock.settimeout(5)
            conn = RawConnection.__new__(RawConnection)
            conn.sock, conn._buffer = sock, b""
            with conn:
                self._handler(conn)
        except BaseException as error:  # reported by close()
            self.error = error

    def close(self) -> None:
        self._thread.join(timeout=5)
        self._listener.close()
        assert not self._thread.is_alive(), "the fake server's handler did not finish"
        if self.error is not None:
            raise self.error

    def __enter__(self) -> "FakeServer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def response(call_id: int, payload: bytes = b"", code: int = 0, end: bool = True, message: str = "") -> frame_pb2.Frame:
    frame = frame_pb2.Frame()
    frame.response.call_id = call_id
    frame.response.payload = payload
    frame.response.end_of_stream = end
    if end:
        frame.response.status.code = code
        frame.response.status.message = message
    return frame


def go_away(code: int, message: str, last_call_id: int) -> frame_pb2.Frame:
    frame = frame_pb2.Frame()
    frame.go_away.status.code = code
    frame.go_away.status.message = message
    frame.go_away.last_call_id = last_call_id
    return frame
