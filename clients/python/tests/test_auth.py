"""Credentials and what they allow: discovery order, UNAUTHENTICATED, PERMISSION_DENIED, masking.

The daemon with a principals file gives a manager (sees personal data) and a reader (sees it
masked); the session daemon has no principals and writes DATA_DIR/local-admin.token.
"""
from __future__ import annotations

import hashlib
import json
import os
import ssl
from datetime import datetime, timedelta, timezone

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from rapport.v1 import common_pb2 as common
from rapport.v1 import customer_pb2 as cpb
from rapport.v1 import interaction_pb2 as ipb
from rapport_client import Client, CredentialError, PermissionDenied, Unauthenticated, find_credential
from rapport_client import _tls

MANAGER_TOKEN = "rapport_" + "M" * 43
READER_TOKEN = "rapport_" + "R" * 43
BULLETS = "\u2022" * 7


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv("RAPPORT_TOKEN", raising=False)
    monkeypatch.delenv("RAPPORT_TOKEN_FILE", raising=False)
    return monkeypatch


# Discovery, without a daemon


def test_explicit_token_wins_over_the_environment(clean_env):
    clean_env.setenv("RAPPORT_TOKEN", "from-env")
    assert find_credential("127.0.0.1", "explicit") == "explicit"
    assert find_credential("127.0.0.1") == "from-env"


def test_token_beats_token_file_and_the_file_beats_the_data_dir(clean_env, tmp_path):
    (tmp_path / "local-admin.token").write_text("from-data-dir\n")
    file = tmp_path / "token"
    file.write_text("from-file\n")
    clean_env.setenv("RAPPORT_TOKEN_FILE", str(file))
    assert find_credential("127.0.0.1", data_dir=str(tmp_path)) == "from-file"
    clean_env.setenv("RAPPORT_TOKEN", "from-env")
    assert find_credential("127.0.0.1", data_dir=str(tmp_path)) == "from-env"


def test_a_named_token_file_that_cannot_be_read_is_an_error(clean_env, tmp_path):
    clean_env.setenv("RAPPORT_TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(CredentialError, match="RAPPORT_TOKEN_FILE"):
        find_credential("127.0.0.1")
    empty = tmp_path / "empty"
    empty.write_text("\n")
    clean_env.setenv("RAPPORT_TOKEN_FILE", str(empty))
    with pytest.raises(CredentialError, match="holds no token"):
        find_credential("127.0.0.1")


def test_the_local_admin_token_is_offered_to_loopback_hosts_only(clean_env, tmp_path):
    (tmp_path / "local-admin.token").write_text("local\n")
    for host in ("127.0.0.1", "localhost", "::1"):
        assert find_credential(host, data_dir=str(tmp_path)) == "local", host
    assert find_credential("10.1.2.3", data_dir=str(tmp_path)) is None
    assert find_credential("127.0.0.1", data_dir=str(tmp_path / "elsewhere")) is None


def test_tls_file_options_build_a_context_and_refuse_contradictions(tmp_path):
    assert _tls.context(None) is None
    with pytest.raises(ValueError, match="tls_key needs tls_cert"):
        _tls.context(None, key="client.key")
    with pytest.raises(ValueError, match="need TLS"):
        _tls.context(False, ca="ca.pem")
    with pytest.raises(TypeError):
        _tls.context(ssl.create_default_context(), ca="ca.pem")
    with pytest.raises(OSError):  # a CA bundle that does not exist is not silently ignored
        _tls.context(None, ca=str(tmp_path / "missing.pem"))


# The session daemon: no principals, the local admin credential


def test_the_daemon_writes_a_local_admin_token(daemon):
    assert daemon.token and daemon.token.startswith("rapport_"), daemon.log
    assert (daemon.data_dir / "local-admin.token").stat().st_mode & 0o077 == 0


def test_no_or_wrong_token_is_unauthenticated_and_health_stays_open(daemon, clean_env):
    with Client(daemon.host, daemon.port, find_credential=False, timeout=10) as c:
        assert c.health.check().status == 1
        with pytest.raises(Unauthenticated):
            c.customers.list_customers()
    with Client(daemon.host, daemon.port, token="rapport_" + "x" * 43, timeout=10) as c:
        with pytest.raises(Unauthenticated):
            c.customers.list_customers()


def test_the_client_finds_the_token_in_the_data_dir(daemon, clean_env):
    with Client(daemon.host, daemon.port, data_dir=str(daemon.data_dir), timeout=10) as c:
        c.customers.list_customers()
    clean_env.setenv("RAPPORT_TOKEN_FILE", str(daemon.data_dir / "local-admin.token"))
    with Client(daemon.host, daemon.port, timeout=10) as c:
        c.customers.list_customers()


# A daemon with principals: manager and reader


def digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


@pytest.fixture
def roles_daemon(start_daemon, tmp_path):
    path = tmp_path / "principals.json"
    path.write_text(json.dumps({"principals": [
        {"name": "manager-1", "roles": ["manager"], "tokens": [digest(MANAGER_TOKEN)]},
        {"name": "reader-1", "roles": ["reader"], "tokens": [digest(READER_TOKEN)]},
    ]}))
    path.chmod(0o644)
    return start_daemon("--principals-file", str(path))


def profile() -> cpb.CustomerProfile:
    return cpb.CustomerProfile(
        full_name="Ada Lovelace",
        date_of_birth=common.Date(year=1985, month=12, day=10),
        phone="+447700900123",
        email="ada@example.com",
        national_id="QQ123456C",
        address=common.Address(line1="12 St James's Square", city="London", postal_code="SW1Y 4JH", country_code="GB"),
        branch_id="0042",
    )


def test_a_reader_is_refused_writes_and_sees_personal_data_masked(roles_daemon, clean_env):
    host, port = roles_daemon.host, roles_daemon.port
    with Client(host, port, token=MANAGER_TOKEN, timeout=10) as manager, \
            Client(host, port, token=READER_TOKEN, timeout=10) as reader:
        with pytest.raises(PermissionDenied):
            reader.customers.create_customer(cpb.CreateCustomerRequest(profile=profile()))
        created = manager.customers.create_customer(cpb.CreateCustomerRequest(profile=profile()))
        assert created.profile.phone == "+447700900123" and list(created.masked_fields) == []
        occurred = Timestamp()
        occurred.FromDatetime(datetime.now(timezone.utc) - timedelta(hours=1))
        manager.interactions.log_interaction(ipb.LogInteractionRequest(interaction=ipb.Interaction(
            customer_id=created.id, channel=common.CHANNEL_BRANCH, kind=ipb.INTERACTION_KIND_SURVEY_RESPONSE,
            occurred_at=occurred, summary="called about the overdraft fee",
            survey=ipb.SurveyResponse(nps_score=3, reason="the fee was not explained"))))

        seen = reader.customers.get_customer(cpb.GetCustomerRequest(id=created.id))
        p = seen.profile
        assert p.full_name == "Ada Lovelace"
        assert p.phone == BULLETS + "123"
        assert p.email == "a" + BULLETS + "@example.com"
        assert p.national_id == BULLETS + "456C"
        assert (p.date_of_birth.year, p.date_of_birth.month, p.date_of_birth.day) == (1985, 0, 0)
        assert p.address.city == "London" and p.address.postal_code == "" and "St James" not in p.address.line1
        assert set(seen.masked_fields) == {
            "profile.phone", "profile.email", "profile.national_id", "profile.date_of_birth", "profile.address"}

        listed = reader.customers.list_customers().customers
        assert [c.profile.phone for c in listed] == [BULLETS + "123"]
        log = reader.interactions.list_interactions(ipb.ListInteractionsRequest(customer_id=created.id)).interactions
        assert [(i.summary, i.survey.reason, list(i.masked_fields)) for i in log] == [
            ("", "", ["summary", "survey.reason"])]
        unmasked = manager.interactions.list_interactions(ipb.ListInteractionsRequest(customer_id=created.id))
        assert unmasked.interactions[0].summary == "called about the overdraft fee"
        assert list(unmasked.interactions[0].masked_fields) == []


def test_a_masked_value_cannot_be_written_back(roles_daemon, clean_env):
    from google.protobuf.field_mask_pb2 import FieldMask
    from rapport_client import InvalidArgument

    host, port = roles_daemon.host, roles_daemon.port
    with Client(host, port, token=MANAGER_TOKEN, timeout=10) as manager, \
            Client(host, port, token=READER_TOKEN, timeout=10) as reader:
        created = manager.customers.create_customer(cpb.CreateCustomerRequest(profile=profile()))
        masked = reader.customers.get_customer(cpb.GetCustomerRequest(id=created.id))
        with pytest.raises(InvalidArgument, match="profile.phone: is a masked value"):
            manager.customers.update_customer(cpb.UpdateCustomerRequest(
                id=created.id, profile=masked.profile, update_mask=FieldMask(paths=["phone"])))
        again = manager.customers.get_customer(cpb.GetCustomerRequest(id=created.id))
        assert again.profile.phone == "+447700900123"


def test_the_async_client_finds_the_token_in_the_data_dir(daemon, clean_env):
    import asyncio

    from rapport_client import AsyncClient

    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, data_dir=str(daemon.data_dir), timeout=10) as c:
            await c.customers.list_customers()
        async with AsyncClient.connect(daemon.host, daemon.port, find_credential=False, timeout=10) as c:
            with pytest.raises(Unauthenticated):
                await c.customers.list_customers()

    asyncio.run(scenario())
