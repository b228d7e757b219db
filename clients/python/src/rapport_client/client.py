"""The blocking client: many concurrent calls from many threads over one connection."""
from __future__ import annotations

import collections
import socket
import threading
import time
from typing import Any, Callable, Generic, Iterator, Mapping, Optional, TypeVar

from . import _credentials, _options, _tls, _wire
from ._generated import ServiceAccessors
from ._mux import GoAway, Mux
from ._transport import Transport
from .status import Cancelled, RpcError, Unavailable

T = TypeVar("T")


def _identity(payload: bytes) -> bytes:
    return payload


class _Call:
    """One call's results, guarded by the client's lock (its condition shares that lock)."""

    def __init__(self, lock: threading.Lock, streaming: bool, timeout: Optional[float], deadline: Optional[float]):
        self.ready = threading.Condition(lock)
        self.streaming = streaming
        self.timeout = timeout
        self.deadline = deadline
        self.messages: collections.deque[bytes] = collections.deque()
        self.done = False
        self.error: Optional[RpcError] = None
        self.call_id = 0

    def on_message(self, payload: bytes) -> None:
        self.messages.append(payload)
        self.ready.notify_all()

    def on_close(self, error: Optional[RpcError]) -> None:
        if not self.done:
            self.done = True
            self.error = error
            self.ready.notify_all()


class Client(ServiceAccessors):
    """A blocking connection to rapportd; every call multiplexes over one TCP (or TLS) socket.

    Thread-safe: any number of threads may call at once. Calls take ``timeout`` (seconds,
    enforced locally and sent to the server), ``metadata`` and ``token`` (sets
    ``authorization: Bearer <token>``), which override the client-wide defaults given here.
    Typed stubs are attributes (``client.health.check()``); raw calls take and return bytes.
    Failures raise ``RpcError`` subclasses. Use as a context manager, or call ``close()``.

    Without ``token``, the credential is found as ``rapport_client.find_credential`` says
    (``RAPPORT_TOKEN``, ``RAPPORT_TOKEN_FILE``, then ``<data_dir>/local-admin.token`` for a
    loopback host); ``find_credential=False`` sends none. ``tls_ca``, ``tls_cert`` and
    ``tls_key`` (PEM file paths) turn on TLS with that trust anchor and client certificate.
    """

    def __init__(
        self,
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
    ):
        self.host = host
        self.port = port
        self.timeout = timeout
        if find_credential:
            token = _credentials.find(host, token, data_dir)
        ctx = _tls.context(tls, tls_ca, tls_cert, tls_key)
        self.metadata = _options.merge_metadata({}, metadata, token)
        self.max_frame_size = max_frame_size
        self._lock = threading.Lock()
        self._mux = Mux()
        self._decoder = _wire.FrameDecoder(max_frame_size)
        # Streams dropped without close() queue their call here from __del__, which may run on
        # any thread, even one holding the lock, so the I/O thread sends their Cancel.
        self._orphans: collections.deque[int] = collections.deque()
        self._closed = False
        sock, session = self._connect(host, port, ctx, server_hostname or host, connect_timeout)
        self._transport = Transport(sock, session, self._on_data, self._on_idle, self._on_lost)
        self._transport.start()

    @staticmethod
    def _connect(host, port, ctx, server_hostname, connect_timeout):
        deadline = time.monotonic() + connect_timeout
        try:
            sock = socket.create_connection((host, port), timeout=connect_timeout)
        except OSError as error:
            raise Unavailable(f"cannot connect to {host}:{port}: {error}") from error
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            session = None
            if ctx is not None:
                session = _tls.TlsSession(ctx, server_hostname)
                session.handshake(sock, deadline)
            return sock, session
        except (OSError, ValueError) as error:  # ssl.SSLError is an OSError
            sock.close()
            raise Unavailable(f"TLS handshake with {host}:{port} failed: {error}") from error

    # -- context manager and lifetime ---------------------------------------------------------

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the connection; calls still running fail CANCELLED, later ones UNAVAILABLE."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._mux.close(Cancelled("the client was closed"), "the client is closed")
        self._transport.close()

    @property
    def closed(self) -> bool:
        """True once the client was closed or the connection was lost."""
        with self._lock:
            return self._closed

    @property
    def in_flight(self) -> int:
        """Calls sent and still awaited (not yet answered, timed out or cancelled)."""
        with self._lock:
            return self._mux.in_flight

    @property
    def goaway(self) -> Optional[GoAway]:
        """The server's GoAway, once one arrived: no new calls can start on this connection."""
        with self._lock:
            return self._mux.goaway

    # -- calls --------------------------------------------------------------------------------

    def call_unary(
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
        with self._lock:
            self._wait(call, lambda: call.done)
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
    ) -> "ResponseStream[bytes]":
        """Starts a server-streaming method by path; iterate the result for response bytes."""
        return self._stream(path, request, _identity, timeout=timeout, metadata=metadata, token=token)

    def _stream(self, path, request, decode, *, timeout=None, metadata=None, token=None) -> "ResponseStream[Any]":
        return ResponseStream(self, self._start(path, request, True, timeout, metadata, token), decode)

    def ping(self, timeout: Optional[float] = None) -> float:
        """Sends a Ping and waits for its Pong; returns the round trip in seconds."""
        timeout = self.timeout if timeout is None else timeout
        call = _Call(self._lock, False, timeout, _options.deadline(timeout))
        started = time.monotonic()
        with self._lock:
            nonce = self._mux.open_ping(call)
            self._transport.send(_wire.ping(nonce))
            try:
                self._wait(call, lambda: call.done, on_give_up=lambda: self._mux.abandon_ping(nonce))
            finally:
                self._mux.abandon_ping(nonce)
            if call.error is not None:
                raise call.error
        return time.monotonic() - started

    def _start(self, path, request, streaming, timeout, metadata, token) -> _Call:
        timeout = self.timeout if timeout is None else timeout
        merged = _options.merge_metadata(self.metadata, metadata, token)
        call = _Call(self._lock, streaming, timeout, _options.deadline(timeout))
        with self._lock:
            # Under the lock, so frames leave in call-id order (GoAway.last_call_id relies on it).
            call.call_id = self._mux.open_call(call)
            try:
                frame = _wire.request(
                    call.call_id, path, bytes(request), _options.timeout_ms(call.deadline), merged, self.max_frame_size
                )
            except BaseException:
                self._mux.abandon(call.call_id)
                raise
            self._transport.send(frame)
        return call

    def _wait(self, call: _Call, ready: Callable[[], bool], on_give_up: Optional[Callable[[], None]] = None) -> None:
        """Waits (holding the lock) until ready(); on deadline or interrupt, abandons the call."""
        give_up = on_give_up or (lambda: self._abandon(call))
        try:
            while not ready():
                remaining = None
                if call.deadline is not None:
                    remaining = call.deadline - time.monotonic()
                    if remaining <= 0:
                        give_up()
                        call.on_close(_options.expired(call.timeout))
                        return
                call.ready.wait(remaining)
        except BaseException:  # KeyboardInterrupt while waiting: the server should stop too
            give_up()
            raise

    def _abandon(self, call: _Call) -> None:
        """With the lock held: stop a call locally and tell the server (Cancel)."""
        if self._mux.abandon(call.call_id):
            self._transport.send(_wire.cancel(call.call_id))

    # -- I/O thread callbacks -----------------------------------------------------------------

    def _on_data(self, data: bytes) -> None:
        frames = self._decoder.feed(data)  # a ProtocolError ends the connection (Transport)
        with self._lock:
            for frame in frames:
                for reply in self._mux.receive(frame):
                    self._transport.send(reply)

    def _on_idle(self) -> None:
        while self._orphans:
            call_id = self._orphans.popleft()
            with self._lock:
                if self._mux.abandon(call_id):
                    self._transport.send(_wire.cancel(call_id))

    def _on_lost(self, reason: str) -> None:
        with self._lock:
            self._closed = True
            self._mux.lost(reason)


class ResponseStream(Generic[T]):
    """The messages of a server-streaming call, as a blocking iterator.

    Iteration ends when the server ends the stream; a failure status raises ``RpcError``
    after the messages that came before it. ``close()`` (also on leaving a ``with`` block,
    or when the stream is garbage-collected unfinished) cancels the call on the server.
    """

    def __init__(self, client: Client, call: _Call, decode: Callable[[bytes], T]):
        self._client = client
        self._call = call
        self._decode = decode
        self._finished = False  # the caller has seen the end (or an error)

    @property
    def call_id(self) -> int:
        return self._call.call_id

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        call = self._call
        with self._client._lock:
            if self._finished:
                raise StopIteration
            self._client._wait(call, lambda: bool(call.messages) or call.done)
            if call.messages:
                payload = call.messages.popleft()
            else:
                self._finished = True
                if call.error is not None:
                    raise call.error
                raise StopIteration
        return self._decode(payload)

    def close(self) -> None:
        """Stops the call: sends Cancel if it is still running; iteration then ends."""
        with self._client._lock:
            self._finished = True
            if not self._call.done:
                self._client._abandon(self._call)
                self._call.on_close(None)

    cancel = close

    def __enter__(self) -> "ResponseStream[T]":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __del__(self) -> None:
        # No locks here: a finalizer can run on a thread that already holds the client's lock.
        try:
            if not self._call.done:
                self._client._orphans.append(self._call.call_id)
                self._client._transport.wake()
        except Exception:
            pass
