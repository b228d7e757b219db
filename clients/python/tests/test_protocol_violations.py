"""Protocol violations over a raw socket: GoAway with the reason, then close; others unaffected."""
from __future__ import annotations

import struct

import pytest

from rapport.diagnostics.v1 import diagnostics_pb2
from rapport.wire.v1 import frame_pb2
from rapport_client import Client, StatusCode
from wire_helpers import ECHO, RawConnection


def slow_echo() -> bytes:
    return diagnostics_pb2.EchoRequest(delay_ms=5000).SerializeToString()


def violate_garbage(raw):
    raw.send_bytes(struct.pack(">I", 5) + b"\xff\xff\xff\xff\xff")


def violate_empty_frame(raw):
    raw.send_bytes(struct.pack(">I", 0))


def violate_call_id_zero(raw):
    raw.request(0, "/rapport.health.v1.Health/Check")


def violate_duplicate_call_id(raw):
    raw.request(5, ECHO, slow_echo())
    raw.request(5, ECHO, slow_echo())


def violate_response_frame(raw):
    frame = frame_pb2.Frame()
    frame.response.call_id = 1
    raw.send(frame)


def violate_oversize_prefix(raw):
    raw.send_bytes(struct.pack(">I", 4 * 1024 * 1024 + 1))


@pytest.mark.parametrize(
    "violate, code, message, last_call_id",
    [
        (violate_garbage, StatusCode.INVALID_ARGUMENT, "frame of 5 bytes is not a valid rapport.wire.v1.Frame", 0),
        (violate_empty_frame, StatusCode.INVALID_ARGUMENT, "frame has no kind set", 0),
        (violate_call_id_zero, StatusCode.INVALID_ARGUMENT, "call_id 0 is reserved; use a non-zero call_id", 0),
        (violate_duplicate_call_id, StatusCode.INVALID_ARGUMENT, "call_id 5 is already in flight", 5),
        (violate_response_frame, StatusCode.INVALID_ARGUMENT, "clients may not send response frames", 0),
        (
            violate_oversize_prefix,
            StatusCode.RESOURCE_EXHAUSTED,
            "frame of 4194305 bytes exceeds the limit of 4194304 bytes",
            0,
        ),
    ],
    ids=["garbage", "empty-frame", "call-id-0", "duplicate-call-id", "response-frame", "oversize-prefix"],
)
def test_violation_gets_goaway_and_close(daemon, violate, code, message, last_call_id):
    with Client(daemon.host, daemon.port, token=daemon.token, timeout=5) as bystander, RawConnection(daemon.port, token=daemon.token) as raw:
        violate(raw)
        frames = raw.receive_until_closed()
        # The in-flight slow echo of the duplicate-id case is abandoned without a Response.
        assert [f.WhichOneof("kind") for f in frames] == ["go_away"], frames
        go_away = frames[0].go_away
        assert go_away.status.code == code
        assert message in go_away.status.message
        assert go_away.last_call_id == last_call_id
        # Another connection is still served.
        assert bystander.health.check().status == 1
