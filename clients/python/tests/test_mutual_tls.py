"""Mutual TLS with the client's file options: a daemon started with --tls-client-ca, a CA that
signed both the server's and the client's certificate, and a principals file mapping the client
certificate's name to a reader."""
from __future__ import annotations

import json
import subprocess

import pytest

from rapport.v1 import customer_pb2 as cpb
from rapport_client import Client, PermissionDenied, Unavailable


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    """ca.pem; server.pem/.key for 127.0.0.1; client.pem/.key named crm-reporting; all signed by the CA."""
    d = tmp_path_factory.mktemp("mtls")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(d / "ca.key"),
            "-out", str(d / "ca.pem"), "-subj", "/CN=Rapport test CA")
    for name, subject, extension in (
        ("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
        ("client", "/CN=crm-reporting", "extendedKeyUsage=clientAuth"),
    ):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(d / f"{name}.key"), "-out", str(d / f"{name}.csr"),
                "-subj", subject)
        (d / f"{name}.ext").write_text(extension + "\n")
        openssl("x509", "-req", "-in", str(d / f"{name}.csr"), "-CA", str(d / "ca.pem"), "-CAkey", str(d / "ca.key"),
                "-CAcreateserial", "-days", "2", "-out", str(d / f"{name}.pem"), "-extfile", str(d / f"{name}.ext"))
    for name in ("server.key", "client.key"):
        (d / name).chmod(0o644)  # the daemon may run as RAPPORTD_USER and must read its key
    return d


@pytest.fixture
def mtls_daemon(start_daemon, authority, tmp_path):
    principals = tmp_path / "principals.json"
    principals.write_text(json.dumps({"principals": [
        {"name": "reporting", "roles": ["reader"], "certificates": ["crm-reporting"]}]}))
    principals.chmod(0o644)
    return start_daemon(
        "--tls-cert", str(authority / "server.pem"), "--tls-key", str(authority / "server.key"),
        "--tls-client-ca", str(authority / "ca.pem"), "--principals-file", str(principals))


def test_the_client_certificate_proves_the_principal(mtls_daemon, authority, monkeypatch):
    monkeypatch.delenv("RAPPORT_TOKEN", raising=False)
    monkeypatch.delenv("RAPPORT_TOKEN_FILE", raising=False)
    with Client(mtls_daemon.host, mtls_daemon.port, find_credential=False, timeout=10,
                tls_ca=str(authority / "ca.pem"), tls_cert=str(authority / "client.pem"),
                tls_key=str(authority / "client.key")) as client:
        client.customers.list_customers()  # a reader may read
        with pytest.raises(PermissionDenied):  # and not write
            client.customers.create_customer(cpb.CreateCustomerRequest(profile=cpb.CustomerProfile(full_name="Ada")))


def test_without_a_client_certificate_the_handshake_fails(mtls_daemon, authority):
    with pytest.raises(Unavailable):
        with Client(mtls_daemon.host, mtls_daemon.port, find_credential=False, timeout=5,
                    tls_ca=str(authority / "ca.pem")) as client:
            # TLS 1.3 may finish the client's side of the handshake before the server refuses.
            client.health.check()
