"""What generated stubs are built on: method descriptors and the typed-call base classes.

The generator (scripts/rapport_codegen/python_stubs.py) writes one module per proto file
into ``_generated``; each stub method is one line that calls ``_unary`` or ``_stream`` here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from google.protobuf.message import DecodeError, Message

from .status import Internal

if TYPE_CHECKING:
    from .aio import AsyncClient, AsyncResponseStream
    from .client import Client, ResponseStream


@dataclass(frozen=True)
class MethodDescriptor:
    """One RPC: its wire path, message classes and kind."""

    name: str
    path: str
    request_type: type[Message]
    response_type: type[Message]
    server_streaming: bool

    def encode(self, request: Optional[Message]) -> bytes:
        """The request payload; None is the empty (all-default) request message."""
        if request is None:
            return b""
        if not isinstance(request, self.request_type):
            raise TypeError(
                f"{self.path} takes {self.request_type.DESCRIPTOR.full_name}, not {type(request).__name__}"
            )
        return request.SerializeToString()

    def decode(self, payload: bytes) -> Any:
        try:
            return self.response_type.FromString(payload)
        except DecodeError as error:
            # The call itself succeeded; the bytes do not match what the proto says, which
            # means client and server disagree on the schema: INTERNAL, as gRPC does.
            raise Internal(
                f"response of {self.path} ({len(payload)} bytes) does not decode as "
                f"{self.response_type.DESCRIPTOR.full_name}"
            ) from error


@dataclass(frozen=True)
class ServiceDescriptor:
    """One service: its full name, client attribute, methods and stub classes."""

    name: str
    accessor: str
    methods: tuple[MethodDescriptor, ...]
    stub: type
    async_stub: type


class ServiceStub:
    """Base of the generated blocking stubs; ``Client.<service>`` returns one."""

    def __init__(self, client: "Client"):
        self._client = client

    def _unary(self, method: MethodDescriptor, request: Optional[Message], **options: Any) -> Any:
        return method.decode(self._client.call_unary(method.path, method.encode(request), **options))

    def _stream(self, method: MethodDescriptor, request: Optional[Message], **options: Any) -> "ResponseStream":
        return self._client._stream(method.path, method.encode(request), method.decode, **options)


class AsyncServiceStub:
    """Base of the generated asyncio stubs; ``AsyncClient.<service>`` returns one."""

    def __init__(self, client: "AsyncClient"):
        self._client = client

    async def _unary(self, method: MethodDescriptor, request: Optional[Message], **options: Any) -> Any:
        return method.decode(await self._client.call_unary(method.path, method.encode(request), **options))

    def _stream(self, method: MethodDescriptor, request: Optional[Message], **options: Any) -> "AsyncResponseStream":
        return self._client._stream(method.path, method.encode(request), method.decode, **options)

