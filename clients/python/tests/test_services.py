"""Every RPC the daemon serves, through the typed stubs of both clients."""
from __future__ import annotations

import asyncio
import os

import pytest
from google.protobuf import descriptor_pb2

import rapport_client
from rapport.diagnostics.v1 import diagnostics_pb2
from rapport.health.v1 import health_pb2
from rapport.reflection.v1 import reflection_pb2
from rapport_client import AsyncClient, Client, StatusCode

SERVING = health_pb2.HealthCheckResponse.SERVING
SERVICE_UNKNOWN = health_pb2.HealthCheckResponse.SERVICE_UNKNOWN
SERVED = [
    "rapport.diagnostics.v1.Diagnostics",
    "rapport.health.v1.Health",
    "rapport.reflection.v1.Reflection",
    "rapport.v1.AdminService",
    "rapport.v1.CustomerService",
    "rapport.v1.InteractionService",
    "rapport.v1.KeyService",
    "rapport.v1.RecommendationService",
]


def test_health_check_whole_server_known_and_unknown_service(client):
    assert client.health.check().status == SERVING
    assert client.health.check(health_pb2.HealthCheckRequest(service="")).status == SERVING
    assert client.health.check(health_pb2.HealthCheckRequest(service="rapport.health.v1.Health")).status == SERVING
    unknown = client.health.check(health_pb2.HealthCheckRequest(service="rapport.nope.v1.Nope"))
    assert unknown.status == SERVICE_UNKNOWN


def test_health_watch_streams_current_status(client):
    with client.health.watch(timeout=5) as stream:
        first = next(stream)
        assert first.status == SERVING
    # Closed: iteration ends instead of waiting for a change that never comes.
    assert list(stream) == []


def test_health_watch_unknown_service_then_deadline(client):
    stream = client.health.watch(health_pb2.HealthCheckRequest(service="no.Such"), timeout=0.3)
    assert next(stream).status == SERVICE_UNKNOWN
    with pytest.raises(rapport_client.DeadlineExceeded):
        next(stream)


def test_reflection_list_services(client):
    services = client.reflection.list_services().services
    assert [s.name for s in services] == SERVED
    health = next(s for s in services if s.name == "rapport.health.v1.Health")
    methods = {m.name: m for m in health.methods}
    assert methods["Check"].path == "/rapport.health.v1.Health/Check"
    assert methods["Check"].request_type == "rapport.health.v1.HealthCheckRequest"
    assert methods["Check"].response_type == "rapport.health.v1.HealthCheckResponse"
    assert not methods["Check"].server_streaming
    assert methods["Watch"].server_streaming


def test_reflection_matches_the_generated_registry(client):
    # The stubs are generated from the same protos the daemon serves.
    served = {
        m.path: (m.request_type, m.response_type, m.server_streaming)
        for s in client.reflection.list_services().services
        for m in s.methods
    }
    generated = {
        m.path: (m.request_type.DESCRIPTOR.full_name, m.response_type.DESCRIPTOR.full_name, m.server_streaming)
        for s in rapport_client.SERVICES
        for m in s.methods
    }
    assert generated == served


def test_reflection_file_descriptor_set(client):
    response = client.reflection.get_file_descriptor_set(reflection_pb2.GetFileDescriptorSetRequest())
    files = descriptor_pb2.FileDescriptorSet.FromString(response.file_descriptor_set).file
    by_name = {f.name: f for f in files}
    assert "rapport/wire/v1/frame.proto" not in by_name
    services = {f"{f.package}.{s.name}": [m.name for m in s.method] for f in files for s in f.service}
    assert services == {
        "rapport.diagnostics.v1.Diagnostics": ["Echo"],
        "rapport.health.v1.Health": ["Check", "Watch"],
        "rapport.reflection.v1.Reflection": ["ListServices", "GetFileDescriptorSet"],
        "rapport.v1.AdminService": ["ListAuditEvents", "ExportAuditEvents", "VerifyAuditChain"],
        "rapport.v1.CustomerService": [
            "CreateCustomer", "GetCustomer", "UpdateCustomer", "DeleteCustomer", "SetConsent", "GetConsent", "ListCustomers",
            "GetCustomerOverview",
        ],
        "rapport.v1.InteractionService": [
            "LogInteraction", "LogInteractions", "ListInteractions", "ExportInteractions", "GetNpsReport", "ListFollowUps",
        ],
        "rapport.v1.KeyService": ["RotateMasterKey"],
        "rapport.v1.RecommendationService": [
            "UpsertProduct", "GetProduct", "ListProducts", "RetireProduct", "GetRecommendations", "RecordOfferOutcome",
            "GetOfferReport",
        ],
    }


@pytest.mark.parametrize("payload", [b"hello", b"", os.urandom(3 * 1024 * 1024)], ids=["small", "empty", "3MiB"])
def test_echo(client, payload):
    assert client.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=payload)).payload == payload


def test_omitted_request_is_the_empty_message(client):
    assert client.diagnostics.echo().payload == b""


def test_wrong_request_type_is_a_type_error(client):
    with pytest.raises(TypeError, match="rapport.diagnostics.v1.EchoRequest"):
        client.diagnostics.echo(health_pb2.HealthCheckRequest())


def test_raw_call_unary(client):
    request = diagnostics_pb2.EchoRequest(payload=b"raw").SerializeToString()
    response = client.call_unary("/rapport.diagnostics.v1.Diagnostics/Echo", request, timeout=5)
    assert diagnostics_pb2.EchoResponse.FromString(response).payload == b"raw"


def test_raw_call_stream(client):
    stream = client.call_stream("/rapport.health.v1.Health/Watch", b"", timeout=5)
    assert health_pb2.HealthCheckResponse.FromString(next(stream)).status == SERVING
    stream.close()


def test_metadata_with_request_id_and_token_is_accepted(daemon):
    # The client-wide token is wrong; the call's own token (the daemon's credential) overrides it.
    with Client(daemon.host, daemon.port, metadata={"x-request-id": "client-default-1"}, token="rapport_wrong") as c:
        reply = c.diagnostics.echo(
            diagnostics_pb2.EchoRequest(payload=b"m"),
            metadata={"x-request-id": "py-test-42", "tenant": "acme"},
            token=daemon.token,
        )
        assert reply.payload == b"m"
    with pytest.raises(TypeError):
        with Client(daemon.host, daemon.port, token=daemon.token) as c:
            c.health.check(metadata={"x-count": 3})


def test_ping(client):
    assert 0 <= client.ping(timeout=5) < 5


def test_client_has_a_stub_for_every_generated_service(client):
    for service in rapport_client.SERVICES:
        assert isinstance(getattr(client, service.accessor), service.stub)
        assert isinstance(getattr(AsyncClient, service.accessor).func(object()), service.async_stub)
    assert {s.accessor for s in rapport_client.SERVICES} == {
        "health", "reflection", "diagnostics", "customers", "interactions", "recommendations", "keys", "admins",
    }


def test_async_client_every_rpc(daemon):
    async def scenario():
        async with AsyncClient.connect(daemon.host, daemon.port, token=daemon.token, timeout=10) as c:
            assert (await c.health.check()).status == SERVING
            unknown = await c.health.check(health_pb2.HealthCheckRequest(service="x.Y"))
            assert unknown.status == SERVICE_UNKNOWN
            async with c.health.watch() as stream:
                async for message in stream:
                    assert message.status == SERVING
                    break
            names = [s.name for s in (await c.reflection.list_services()).services]
            assert names == SERVED
            fds = await c.reflection.get_file_descriptor_set()
            assert descriptor_pb2.FileDescriptorSet.FromString(fds.file_descriptor_set).file
            big = os.urandom(3 * 1024 * 1024)
            assert (await c.diagnostics.echo(diagnostics_pb2.EchoRequest(payload=big))).payload == big
            assert (await c.diagnostics.echo()).payload == b""
            assert await c.call_unary("/rapport.diagnostics.v1.Diagnostics/Echo", b"") == b""
            assert await c.ping() < 5
            await c.health.check(token=daemon.token, metadata={"x-request-id": "async-1"})
            with pytest.raises(rapport_client.Unimplemented):
                await c.call_unary("/x.Y/Z")
        # Awaiting connect() works as well as `async with`.
        c = await AsyncClient.connect(daemon.host, daemon.port, token=daemon.token)
        assert (await c.health.check()).status == SERVING
        await c.close()
        with pytest.raises(rapport_client.Unavailable):
            await c.health.check()

    asyncio.run(scenario())


def test_status_codes():
    assert len(StatusCode) == 17
    assert [int(code) for code in StatusCode] == list(range(17))
    assert StatusCode.from_wire(99) is StatusCode.UNKNOWN
    error = rapport_client.rpc_error(14, "gone", {"k": "v"})
    assert isinstance(error, rapport_client.Unavailable) and error.code is StatusCode.UNAVAILABLE
    assert error.trailers == {"k": "v"} and error.message == "gone"
    assert type(rapport_client.rpc_error(1234, "odd")) is rapport_client.Unknown
