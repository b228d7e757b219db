"""The asyncio client: many concurrent calls (tasks) over one connection, read by one task."""
from __future__ import annotations

import asyncio
import collections
import socket
import time
from typing import Any, AsyncIterator, Callable, Generator, Generic, Mapping, Optional, TypeVar

from . import _credentials, _options, _tls, _wire
from ._generated import AsyncServiceAccessors
from ._mux import GoAway, Mux
from .status import Cancelled, RpcError, Unavailable

T = TypeVar("T")

_READ_CHUNK = 262144


def _identity(payload: bytes) -> bytes:
    return payload


class _Call:
    """One call's results; lives on the client's event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, streaming: bool, timeout: Optional[float]):
        self.loop = loop
        self.streaming = streaming
        self.timeout = timeout
        self.messages: collections.deque[bytes] = collections.deque()
        self.done = False
        self.error: Optional[RpcError] = None
        self.call_id = 0
        self.timer: Optional[asyncio.TimerHandle] = None
        self._waiter: Optional[asyncio.Future[None]] = None

    def on_message(self, payload: bytes) -> None:
        self.messages.append(payload)
        self._wake()

    def on_close(self, error: Optional[RpcError]) -> None:
        if self.done:
            return
        self.done = True
        self.error = error
        if self.timer is not None:
            self.timer.cancel()
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def wait(self, ready: Callable[[], bool]) -> None:
        while not ready():
            self._waiter = self.loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None


class _Connecting:
    """What ``AsyncClient.connect()`` returns: await it, or use it with ``async with``."""

    def __init__(self, factory: Callable[[], "asyncio.Future[AsyncClient]"]):
        self._factory = factory
        self._client: Optional[AsyncClient] = None

    def __await__(self) -> Generator[Any, None, "AsyncClient"]:
        return self._factory().__await__()

    async def __aenter__(self) -> "AsyncClient":
        self._client = await self._factory()
        return self._client

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._client is not None:
            await self._client.close()


class AsyncClient(AsyncServiceAccessors):
    """An asyncio connection to rapportd; every call multiplexes over one socket.

    Create with ``await AsyncClient.connect(host, port, ...)`` or
    ``async with AsyncClient.connect(...) as client``. Calls take ``timeout`` (seconds,
    enforced locally and sent to the server), ``metadata`` and ``token``. Typed stubs are
    attributes (``await client.health.check()``); raw calls take and return bytes. Cancelling
    the task that awaits a call sends Cancel to the server. Use it from one event loop.
    """

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        timeout: Optional[float] = None,
        metadata: Optional[Mapping[str, str]] = None,
        token: Optional[str] = None,
        max_frame_size: int = _wire.DEFAULT_MAX_FRAME_SIZE,
    ):
        """Wraps an open stream pair; most code wants ``AsyncClient.connect()`` instead."""
        self.timeout = timeout
        self.metadata = _options.merge_metadata({}, metadata, token)
        self.max_frame_size = max_frame_size
        self._loop = asyncio.get_running_loop()
        self._reader = reader
        self._writer = writer
        self._mux = Mux()
        self._decoder = _wire.FrameDecoder(max_frame_size)
        self._closed = False
        self._read_task = self._loop.create_task(self._read_loop(), name="rapport-client-reader")

    @classmethod
    def connect(
        cls,
        host: str = "127.0.0.1",
        port: int = 7420,
        *,
        timeout: Optional[float] = None,
        metadata: Optional[Mapping[str, str]] = None,
        token: Optional[str] = None,
        data_dir: Optional[str] = None,
        find_credential: bool = True,
        tls: _tls.TlsOption = None,
        tls_ca: Optional[str] = None,
        tls_cert: Optional[str] = None,
        tls_key: Optional[str] = None,
        server_hostname: Optional[str] = None,
        max_frame_size: int = _wire.DEFAULT_MAX_FRAME_SIZE,
        connect_timeout: float = 5.0,
    ) -> _Connecting:
        """Opens a connection; raises ``Unavailable`` when the server cannot be reached.

        The credential and TLS options are those of ``Client``.
        """
        if find_credential:
            token = _credentials.find(host, token, data_dir)
        ctx = _tls.context(tls, tls_ca, tls_cert, tls_key)

        async def open_client() -> AsyncClient:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(
                        host, port, ssl=ctx, server_hostname=(server_hostname or host) if ctx else None,
                        limit=_READ_CHUNK,
                    ),
                    connect_timeout,
                )
            except (OSError, asyncio.TimeoutError) as error:  # ssl.SSLError is an OSError
                raise Unavailable(f"cannot connect to {host}:{port}: {error or 'timed out'}") from error
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return cls(reader, writer, timeout=timeout, metadata=metadata, token=token, max_frame_size=max_frame_size)

        return _Connecting(open_client)

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes the connection; calls still running fail CANCELLED, later ones UNAVAILABLE."""
        if not self._closed:
            self._closed = True
            self._mux.close(Cancelled("the client was closed"), "the client is closed")
            self._writer.close()
        self._read_task.cancel()
        try:
            await self._read_task
        except asyncio.CancelledError:
            pass
        try:
            await self._writer.wait_closed()
        except (OSError, RuntimeError):
            pass  # already broken; nothing left to release

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def in_flight(self) -> int:
        """Calls sent and still awaited (not yet answered, timed out or cancelled)."""
        return self._mux.in_flight

    @property
    def goaway(self) -> Optional[GoAway]:
        """The server's GoAway, once one arrived: no new calls can start on this connection."""
        return self._mux.goaway

    # -- calls --------------------------------------------------------------------------------

    async def call_unary(
        self,
        path: str,
        request: bytes = b"",
        *,
        timeout: Optional[float] = None,
        metadata: Optional[Mapping[str, str]] = None,
        token: Optional[str] = None,
    ) -> bytes:
        """Calls a unary method by path with a serialized request; returns the response bytes."""
        call = self._start(path, request, False, timeout, metadata, token)
        try:
            await self._drain()
            await call.wait(lambda: call.done)
        except BaseException:  # the awaiting task was cancelled: stop the call on the server
            self._abandon(call)
            raise
        if call.error is not None:
            raise call.error
        return call.messages.popleft()

    def call_stream(
        self,
        path: str,
        request: bytes = b"",
        *,
        timeout: Optional[float] = None,
        metadata: Optional[Mapping[str, str]] = None,
        token: Optional[str] = None,
    ) -> "AsyncResponseStream[bytes]":
        """Starts a server-streaming method by path; ``async for`` over the response bytes."""
        return self._stream(path, request, _identity, timeout=timeout, metadata=metadata, token=token)

    def _stream(self, path, request, decode, *, timeout=None, metadata=None, token=None) -> "AsyncResponseStream[Any]":
        return AsyncResponseStream(self, self._start(path, request, True, timeout, metadata, token), decode)

    async def ping(self, timeout: Optional[float] = None) -> float:
        """Sends a Ping and waits for its Pong; returns the round trip in seconds."""
        timeout = self.timeout if timeout is None else timeout
        call = _Call(self._loop, False, timeout)
        deadline = _options.deadline(timeout)
        nonce = self._mux.open_ping(call)
        started = time.monotonic()
        self._writer.write(_wire.ping(nonce))
        try:
            if deadline is not None:
                call.timer = self._loop.call_later(
                    deadline - time.monotonic(), call.on_close, _options.expired(timeout)
                )
            await call.wait(lambda: call.done)
        finally:
            self._mux.abandon_ping(nonce)
            if call.timer is not None:
                call.timer.cancel()
        if call.error is not None:
            raise call.error
        return time.monotonic() - started

    def _start(self, path, request, streaming, timeout, metadata, token) -> _Call:
        timeout = self.timeout if timeout is None else timeout
        merged = _options.merge_metadata(self.metadata, metadata, token)
        deadline = _options.deadline(timeout)
        call = _Call(self._loop, streaming, timeout)
        call.call_id = self._mux.open_call(call)
        try:
            frame = _wire.request(
                call.call_id, path, bytes(request), _options.timeout_ms(deadline), merged, self.max_frame_size
            )
        except BaseException:
            self._mux.abandon(call.call_id)
            raise
        self._writer.write(frame)
        if deadline is not None:
            # A timer rather than wait_for around each await: the deadline covers the whole
            # call, including the time a stream's consumer spends between messages.
            call.timer = self._loop.call_later(deadline - time.monotonic(), self._expire, call)
        return call

    def _expire(self, call: _Call) -> None:
        self._abandon(call)
        call.on_close(_options.expired(call.timeout))

    def _abandon(self, call: _Call) -> None:
        """Stops a call locally and tells the server (Cancel) if it was still running."""
        if self._mux.abandon(call.call_id) and not self._writer.is_closing():
            self._writer.write(_wire.cancel(call.call_id))

    async def _drain(self) -> None:
        # Back-pressure for large requests; a broken socket is reported by the reader task.
        try:
            await self._writer.drain()
        except (ConnectionError, OSError):
            pass

    async def _read_loop(self) -> None:
        reason = "the server closed the connection"
        try:
            while True:
                data = await self._reader.read(_READ_CHUNK)
                if not data:
                    break
                for frame in self._decoder.feed(data):
                    for reply in self._mux.receive(frame):
                        self._writer.write(reply)
        except asyncio.CancelledError:
            reason = "the connection was closed by the client"
            raise
        except (OSError, _wire.ProtocolError) as error:
            reason = f"the connection failed: {error}"
        except Exception as error:  # a bug must not leave callers waiting forever
            reason = f"the connection was dropped: {error}"
        finally:
            self._closed = True
            self._mux.lost(reason)
            self._writer.close()


class AsyncResponseStream(Generic[T]):
    """The messages of a server-streaming call, as an async iterator.

    Iteration ends when the server ends the stream; a failure status raises ``RpcError``
    after the messages before it. ``aclose()``/``cancel()``, leaving ``async with``, or
    cancelling the task iterating it sends Cancel to the server.
    """

    def __init__(self, client: AsyncClient, call: _Call, decode: Callable[[bytes], T]):
        self._client = client
        self._call = call
        self._decode = decode
        self._finished = False
        self._drained = False  # the Request is handed to the socket before the first wait

    @property
    def call_id(self) -> int:
        return self._call.call_id

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        call = self._call
        if self._finished:
            raise StopAsyncIteration
        try:
            if not self._drained:
                self._drained = True
                await self._client._drain()
            await call.wait(lambda: bool(call.messages) or call.done)
        except BaseException:
            self.cancel()
            raise
        if call.messages:
            return self._decode(call.messages.popleft())
        self._finished = True
        if call.error is not None:
            raise call.error
        raise StopAsyncIteration

    def cancel(self) -> None:
        """Stops the call: sends Cancel if it is still running; iteration then ends."""
        self._finished = True
        if not self._call.done:
            self._client._abandon(self._call)
            self._call.on_close(None)

    async def aclose(self) -> None:
        self.cancel()

    async def __aenter__(self) -> "AsyncResponseStream[T]":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.cancel()

    def __del__(self) -> None:
        # A finalizer may run on another thread; the Cancel must be written from the client's loop.
        try:
            if not self._call.done and not self._call.loop.is_closed():
                self._call.loop.call_soon_threadsafe(self._client._abandon, self._call)
        except Exception:
            pass
