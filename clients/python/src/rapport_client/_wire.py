"""Framing: a 4-byte big-endian length, then one serialized ``rapport.wire.v1.Frame``."""
from __future__ import annotations

import struct
from typing import Mapping

from google.protobuf.message import DecodeError

from rapport.wire.v1 import frame_pb2

from .status import ResourceExhausted

Frame = frame_pb2.Frame

# The daemon's default limit; a client must not send more than the server accepts.
DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024

_PREFIX = struct.Struct(">I")
_UINT32_MAX = 0xFFFFFFFF


class ProtocolError(Exception):
    """The server's byte stream broke the framing; the connection cannot be used further."""


def encode(frame: frame_pb2.Frame) -> bytes:
    body = frame.SerializeToString()
    return _PREFIX.pack(len(body)) + body


def request(
    call_id: int, method: str, payload: bytes, timeout_ms: int, metadata: Mapping[str, str], max_frame_size: int
) -> bytes:
    """The framed Request, or RESOURCE_EXHAUSTED when the server would refuse its size.

    An oversized frame would make the server close the whole connection (GoAway), taking
    every other call with it, so the call fails here instead and nothing is sent.
    """
    if len(payload) > max_frame_size:  # skips serializing a payload that cannot fit anyway
        raise ResourceExhausted(
            f"request payload of {len(payload)} bytes exceeds the frame limit of {max_frame_size} bytes; not sent"
        )
    frame = Frame()
    req = frame.request
    req.call_id = call_id
    req.method = method
    req.timeout_ms = min(timeout_ms, _UINT32_MAX)
    req.payload = payload
    for key, value in metadata.items():
        req.metadata[key] = value
    body = frame.SerializeToString()
    if len(body) > max_frame_size:
        raise ResourceExhausted(
            f"request frame of {len(body)} bytes exceeds the frame limit of {max_frame_size} bytes; not sent"
        )
    return _PREFIX.pack(len(body)) + body


def cancel(call_id: int) -> bytes:
    frame = Frame()
    frame.cancel.call_id = call_id
    return encode(frame)


def ping(nonce: int) -> bytes:
    frame = Frame()
    frame.ping.nonce = nonce
    return encode(frame)


def pong(nonce: int) -> bytes:
    frame = Frame()
    frame.pong.nonce = nonce
    return encode(frame)


class FrameDecoder:
    """Turns received bytes, in chunks of any size, into Frames."""

    def __init__(self, max_frame_size: int):
        self._buffer = bytearray()
        self._max_frame_size = max_frame_size

    def feed(self, data: bytes) -> list[frame_pb2.Frame]:
        buffer = self._buffer
        buffer += data
        frames = []
        while len(buffer) >= 4:
            (size,) = _PREFIX.unpack_from(buffer)
            # Checked before waiting for the body, so a corrupt prefix cannot make us buffer gigabytes.
            if size > self._max_frame_size:
                raise ProtocolError(f"server sent a frame of {size} bytes, over the client's limit of {self._max_frame_size}")
            if len(buffer) < 4 + size:
                break
            body = bytes(buffer[4 : 4 + size])
            del buffer[: 4 + size]
            try:
                frames.append(Frame.FromString(body))
            except DecodeError as error:
                raise ProtocolError(f"server sent {size} bytes that are not a rapport.wire.v1.Frame") from error
        return frames
