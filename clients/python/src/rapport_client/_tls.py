"""TLS settings, and a TLS session over memory buffers for the blocking client's I/O thread.

The blocking client reads and writes one socket from a single thread. An ``ssl.SSLSocket``
would have to be read by one thread and written by others, which OpenSSL does not allow on
one connection, so TLS runs on an ``ssl.SSLObject`` that the I/O thread alone drives.
"""
from __future__ import annotations

import socket
import ssl
import time
from typing import Optional, Union

TlsOption = Union[None, bool, ssl.SSLContext]


def context(
    tls: TlsOption, ca: Optional[str] = None, cert: Optional[str] = None, key: Optional[str] = None
) -> Optional[ssl.SSLContext]:
    """The SSLContext for ``tls=``: None/False for plain TCP, True for the system's defaults.

    ``ca`` (a PEM bundle that replaces the system's trust store), ``cert`` and ``key`` (the
    client certificate and its private key, for mutual TLS) turn TLS on by themselves; they
    cannot be combined with an SSLContext of the caller's (configure that one instead).
    """
    files = ca is not None or cert is not None or key is not None
    if key is not None and cert is None:
        raise ValueError("tls_key needs tls_cert (the client certificate the key belongs to)")
    if files:
        if tls is False:
            raise ValueError("tls_ca, tls_cert and tls_key need TLS; do not pass tls=False with them")
        if isinstance(tls, ssl.SSLContext):
            raise TypeError("pass either tls=<ssl.SSLContext> or tls_ca/tls_cert/tls_key, not both")
        ctx = ssl.create_default_context(cafile=ca)
        if cert is not None:
            ctx.load_cert_chain(cert, key)
        return ctx
    if tls is None or tls is False:
        return None
    if tls is True:
        return ssl.create_default_context()
    if isinstance(tls, ssl.SSLContext):
        return tls
    raise TypeError(f"tls must be an ssl.SSLContext, True or None, not {type(tls).__name__}")


class TlsSession:
    """Encrypts outgoing and decrypts incoming bytes; the caller moves them over the socket."""

    def __init__(self, ctx: ssl.SSLContext, server_hostname: Optional[str]):
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = ctx.wrap_bio(self._incoming, self._outgoing, server_side=False, server_hostname=server_hostname)
        # Plaintext that could not be written yet because TLS first needs to read (renegotiation).
        self._unsent = bytearray()
        self.closed = False

    def handshake(self, sock: socket.socket, deadline: float) -> None:
        """Runs the handshake on a blocking socket, giving up at ``deadline`` (time.monotonic)."""
        while True:
            try:
                self._tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self._send_all(sock, deadline)
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                data = sock.recv(65536)
                if not data:
                    raise ConnectionError("the server closed the connection during the TLS handshake")
                self._incoming.write(data)
        self._send_all(sock, deadline)

    def _send_all(self, sock: socket.socket, deadline: float) -> None:
        data = self._outgoing.read()
        if data:
            sock.settimeout(max(deadline - time.monotonic(), 0.001))
            sock.sendall(data)

    def encrypt(self, plaintext: bytes) -> bytes:
        """TLS records to send for ``plaintext`` (and anything TLS itself has to send)."""
        self._unsent += plaintext
        self._write_unsent()
        return self._outgoing.read()

    def _write_unsent(self) -> None:
        while self._unsent:
            try:
                written = self._tls.write(self._unsent)
            except ssl.SSLWantReadError:
                return  # retried by decrypt() once the peer's data has arrived
            del self._unsent[:written]

    def decrypt(self, raw: bytes) -> tuple[bytes, bytes]:
        """(plaintext received, TLS records to send back) for bytes read from the socket."""
        if raw:
            self._incoming.write(raw)
        chunks = []
        while True:
            try:
                chunk = self._tls.read(262144)
            except ssl.SSLWantReadError:
                break
            except ssl.SSLZeroReturnError:
                self.closed = True  # close_notify: the server ended the TLS session
                break
            if not chunk:
                self.closed = True
                break
            chunks.append(chunk)
        self._write_unsent()
        return b"".join(chunks), self._outgoing.read()
