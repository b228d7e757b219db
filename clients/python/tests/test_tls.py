"""TLS against a daemon started with --tls-cert/--tls-key and a self-signed certificate."""
from __future__ import annotations

import asyncio
import os
import ssl
import subprocess
import threading

import pytest

from rapport.diagnostics.v1 import diagnostics_pb2
from rapport_client import AsyncClient, Client, DeadlineExceeded, Unavailable


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_daemon(start_daemon, certificate):
    cert, key = certificate
    return start_daemon("--tls-cert", str(cert), "--tls-key", str(key))


def trusting(cert) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def test_blocking_client_over_tls(tls_daemon, certificate):
    with Client(tls_daemon.host, tls_daemon.port, token=tls_daemon.token, tls=trusting(certificate[0]), timeout=10) as client:
        assert client.health.check().status == 1
        big = os.urandom(3 * 1024 * 1024)
        assert client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=big)).payload == big
        with client.health.watch() as stream:
            assert next(stream).status == 1
        assert client.ping() < 5
        with pytest.raises(DeadlineExceeded):
            client.diagnostics.echo(diagnostics_pb2.EchoRequest(delay_ms=2000), timeout=0.2)

        # Reads and writes from many threads at once over the one TLS session.
        errors = []

        def worker(index):
            try:
                for round_ in range(5):
                    payload = os.urandom(1000 + index * 3000 + round_)
                    assert client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=payload)).payload == payload
            except Exception as error:  # collected for the assertion below
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
        assert errors == []
    assert "tls=true" in tls_daemon.log


def test_async_client_over_tls(tls_daemon, certificate):
    async def scenario():
        async with AsyncClient.connect(tls_daemon.host, tls_daemon.port, token=tls_daemon.token, tls=trusting(certificate[0]), timeout=10) as c:
            assert (await c.health.check()).status == 1
            big = os.urandom(3 * 1024 * 1024)
            assert (await c.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=big))).payload == big
            replies = await asyncio.gather(
                *(c.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=bytes([i]) * 5000)) for i in range(50))
            )
            assert [r.payload for r in replies] == [bytes([i]) * 5000 for i in range(50)]

    asyncio.run(asyncio.wait_for(scenario(), 20))


def test_untrusted_certificate_is_refused(tls_daemon):
    # tls=True uses the system's trust store, which does not know the self-signed certificate.
    with pytest.raises(Unavailable, match="CERTIFICATE_VERIFY_FAILED"):
        Client(tls_daemon.host, tls_daemon.port, token=tls_daemon.token, tls=True)

    async def scenario():
        with pytest.raises(Unavailable, match="CERTIFICATE_VERIFY_FAILED"):
            await AsyncClient.connect(tls_daemon.host, tls_daemon.port, token=tls_daemon.token, tls=True)

    asyncio.run(scenario())


def test_plain_client_against_tls_daemon_fails_unavailable(tls_daemon):
    with Client(tls_daemon.host, tls_daemon.port, token=tls_daemon.token, timeout=5) as client:
        with pytest.raises(Unavailable):
            client.health.check()


def test_tls_client_against_plain_daemon_fails_unavailable(daemon, certificate):
    with pytest.raises(Unavailable, match="TLS handshake"):
        Client(daemon.host, daemon.port, token=daemon.token, tls=trusting(certificate[0]), connect_timeout=5)


def test_tls_file_options_connect_with_a_ca_file_and_a_client_certificate(tls_daemon, certificate, tmp_path):
    cert, key = certificate
    client_cert, client_key = tmp_path / "client.pem", tmp_path / "client.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(client_key),
         "-out", str(client_cert), "-subj", "/CN=crm-web"],
        check=True, capture_output=True,
    )
    with Client(tls_daemon.host, tls_daemon.port, token=tls_daemon.token, tls_ca=str(cert), timeout=10) as client:
        assert client.health.check().status == 1
    with Client(tls_daemon.host, tls_daemon.port, token=tls_daemon.token, tls_ca=str(cert),
                tls_cert=str(client_cert), tls_key=str(client_key), timeout=10) as client:
        assert client.health.check().status == 1

    async def scenario():
        async with AsyncClient.connect(tls_daemon.host, tls_daemon.port, token=tls_daemon.token, tls_ca=str(cert),
                                       timeout=10) as c:
            assert (await c.health.check()).status == 1

    asyncio.run(scenario())
    # Without the CA file the self-signed certificate is not trusted.
    with pytest.raises(Unavailable):
        Client(tls_daemon.host, tls_daemon.port, tls=True, connect_timeout=5)
