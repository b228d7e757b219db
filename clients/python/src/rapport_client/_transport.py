"""The blocking client's socket, owned by one I/O thread that both reads and writes.

Callers hand frames over with ``send()`` (lock-free: a deque plus a wake-up byte on a
socketpair), so a caller never blocks on the network and its deadline always holds. The
thread sleeps in ``select`` until the socket or the wake-up pair is ready: no polling.
"""
from __future__ import annotations

import collections
import selectors
import socket
import threading
from typing import Callable, Optional

from ._tls import TlsSession

_READ_CHUNK = 262144


class Transport:
    def __init__(
        self,
        sock: socket.socket,
        tls: Optional[TlsSession],
        on_data: Callable[[bytes], None],
        on_idle: Callable[[], None],
        on_lost: Callable[[str], None],
    ):
        """``on_data`` gets received plaintext; ``on_idle`` runs after each wake-up (for work
        queued from finalizers); ``on_lost`` runs once, on the I/O thread, when the loop ends."""
        self._sock = sock
        self._tls = tls
        self._on_data = on_data
        self._on_idle = on_idle
        self._on_lost = on_lost
        self._pending: collections.deque[bytes] = collections.deque()
        self._out = bytearray()  # bytes for the socket (encrypted under TLS), I/O thread only
        self._closing = False
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        sock.setblocking(False)
        self._thread = threading.Thread(target=self._run, name="rapport-client-io", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def send(self, data: bytes) -> None:
        """Queues bytes for the socket; safe from any thread, including finalizers."""
        self._pending.append(data)
        self.wake()

    def wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except (BlockingIOError, InterruptedError):
            pass  # the pair is full, so a wake-up is already pending
        except OSError:
            pass  # closed: the loop has ended and nothing more will be sent

    def close(self) -> None:
        """Stops the I/O thread after a best-effort flush, and waits for it."""
        self._closing = True
        self.wake()
        if threading.current_thread() is not self._thread and self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        reason = "the connection was closed by the client"
        selector = selectors.DefaultSelector()
        try:
            selector.register(self._wake_r, selectors.EVENT_READ)
            selector.register(self._sock, selectors.EVENT_READ)
            watching = selectors.EVENT_READ
            if self._tls is not None:
                self._received(b"")  # data that arrived together with the end of the handshake
            while True:
                for key, mask in selector.select():
                    if key.fileobj is self._wake_r:
                        self._drain_wakeups()
                        self._take_pending()
                        self._on_idle()
                        if self._closing:
                            self._flush()
                            return
                        self._flush()
                    else:
                        if mask & selectors.EVENT_READ:
                            self._read()
                        if mask & selectors.EVENT_WRITE:
                            self._flush()
                wanted = selectors.EVENT_READ | (selectors.EVENT_WRITE if self._out else 0)
                if wanted != watching:
                    selector.modify(self._sock, wanted)
                    watching = wanted
        except _Closed as closed:
            reason = str(closed)
        except OSError as error:
            reason = f"the connection failed: {error}"
        except Exception as error:  # a protocol error from on_data, or a bug: never leave callers hanging
            reason = f"the connection was dropped: {error}"
        finally:
            selector.close()
            for sock in (self._sock, self._wake_r, self._wake_w):
                try:
                    sock.close()
                except OSError:
                    pass
            self._on_lost(reason)

    def _drain_wakeups(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def _take_pending(self) -> None:
        while True:
            try:
                data = self._pending.popleft()
            except IndexError:
                return
            self._out += self._tls.encrypt(data) if self._tls is not None else data

    def _flush(self) -> None:
        while self._out:
            try:
                sent = self._sock.send(self._out)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:
                # The server may have said why before resetting (a GoAway for an oversized
                # frame, say): read what already arrived so the calls fail with that reason.
                self._out.clear()
                try:
                    self._read()
                except Exception:
                    pass
                raise _Closed(f"the connection failed: {error}") from error
            del self._out[:sent]

    def _read(self) -> None:
        # A bounded number of reads per wake-up so that a flood of responses cannot starve writes.
        for _ in range(16):
            try:
                data = self._sock.recv(_READ_CHUNK)
            except (BlockingIOError, InterruptedError):
                return
            if not data:
                raise _Closed("the server closed the connection")
            self._received(data)
            if len(data) < _READ_CHUNK:
                return

    def _received(self, data: bytes) -> None:
        if self._tls is not None:
            data, reply = self._tls.decrypt(data)
            self._out += reply
            if data:
                self._on_data(data)
            if self._tls.closed:
                raise _Closed("the server closed the TLS session")
        elif data:
            self._on_data(data)


class _Closed(Exception):
    pass
