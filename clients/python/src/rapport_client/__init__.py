"""Python client of rapportd, the Rapport daemon.

``Client`` blocks and is thread-safe; ``AsyncClient`` is for asyncio. Both multiplex every
call over one connection and expose one typed stub per service (``client.health``,
``client.diagnostics``, ``client.reflection``, ...), generated from the protos. Failed calls
raise ``RpcError`` subclasses carrying a gRPC ``StatusCode``.
"""
from ._credentials import CredentialError
from ._credentials import find as find_credential
from ._generated import SERVICES
from ._mux import GoAway
from ._stubs import MethodDescriptor, ServiceDescriptor
from ._wire import DEFAULT_MAX_FRAME_SIZE
from .aio import AsyncClient, AsyncResponseStream
from .client import Client, ResponseStream
from .status import (
    Aborted,
    AlreadyExists,
    Cancelled,
    DataLoss,
    DeadlineExceeded,
    FailedPrecondition,
    Internal,
    InvalidArgument,
    NotFound,
    OutOfRange,
    PermissionDenied,
    ResourceExhausted,
    RpcError,
    StatusCode,
    Unauthenticated,
    Unavailable,
    Unimplemented,
    Unknown,
    rpc_error,
)

__all__ = [
    "CredentialError", "find_credential", "SERVICES", "GoAway", "MethodDescriptor", "ServiceDescriptor", "DEFAULT_MAX_FRAME_SIZE",
    "AsyncClient", "AsyncResponseStream", "Client", "ResponseStream",
    "Aborted", "AlreadyExists", "Cancelled", "DataLoss", "DeadlineExceeded", "FailedPrecondition", "Internal",
    "InvalidArgument", "NotFound", "OutOfRange", "PermissionDenied", "ResourceExhausted", "RpcError", "StatusCode",
    "Unauthenticated", "Unavailable", "Unimplemented", "Unknown", "rpc_error",
]
