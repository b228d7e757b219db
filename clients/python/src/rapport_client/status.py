"""gRPC status codes and the exceptions a failed call raises."""
from __future__ import annotations

import enum
from typing import Mapping


class StatusCode(enum.IntEnum):
    """gRPC's status codes, numbered as on the wire."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def from_wire(cls, code: int) -> "StatusCode":
        """The code for a wire value; values outside 0-16 become UNKNOWN, as the protocol asks."""
        try:
            return cls(code)
        except ValueError:
            return cls.UNKNOWN


class RpcError(Exception):
    """A call that ended with a non-OK status, from the server or decided locally.

    Catch a subclass (``Unavailable``, ``DeadlineExceeded``, ...) for one code, or this
    class and look at ``code``. ``trailers`` holds the metadata the server sent with the
    status (empty for the server's own errors and for local failures).
    """

    code: StatusCode = StatusCode.UNKNOWN

    def __init__(self, code: StatusCode | int, message: str = "", trailers: Mapping[str, str] | None = None):
        self.code = StatusCode.from_wire(int(code))
        self.message = message
        self.trailers = dict(trailers or {})
        super().__init__(f"{self.code.name} ({int(self.code)}): {message}" if message else self.code.name)

    def __reduce__(self):
        # Keeps the exception picklable (e.g. across multiprocessing) despite the custom __init__.
        return (rpc_error, (int(self.code), self.message, self.trailers))


def _subclass(name: str, code: StatusCode) -> type[RpcError]:
    def __init__(self, message: str = "", trailers: Mapping[str, str] | None = None):
        RpcError.__init__(self, code, message, trailers)

    doc = f"The call failed with {code.name} ({int(code)})."
    return type(name, (RpcError,), {"__init__": __init__, "__doc__": doc, "code": code, "__module__": __name__})


Cancelled = _subclass("Cancelled", StatusCode.CANCELLED)
Unknown = _subclass("Unknown", StatusCode.UNKNOWN)
InvalidArgument = _subclass("InvalidArgument", StatusCode.INVALID_ARGUMENT)
DeadlineExceeded = _subclass("DeadlineExceeded", StatusCode.DEADLINE_EXCEEDED)
NotFound = _subclass("NotFound", StatusCode.NOT_FOUND)
AlreadyExists = _subclass("AlreadyExists", StatusCode.ALREADY_EXISTS)
PermissionDenied = _subclass("PermissionDenied", StatusCode.PERMISSION_DENIED)
ResourceExhausted = _subclass("ResourceExhausted", StatusCode.RESOURCE_EXHAUSTED)
FailedPrecondition = _subclass("FailedPrecondition", StatusCode.FAILED_PRECONDITION)
Aborted = _subclass("Aborted", StatusCode.ABORTED)
OutOfRange = _subclass("OutOfRange", StatusCode.OUT_OF_RANGE)
Unimplemented = _subclass("Unimplemented", StatusCode.UNIMPLEMENTED)
Internal = _subclass("Internal", StatusCode.INTERNAL)
Unavailable = _subclass("Unavailable", StatusCode.UNAVAILABLE)
DataLoss = _subclass("DataLoss", StatusCode.DATA_LOSS)
Unauthenticated = _subclass("Unauthenticated", StatusCode.UNAUTHENTICATED)

_BY_CODE: dict[StatusCode, type[RpcError]] = {
    cls.code: cls
    for cls in (
        Cancelled, Unknown, InvalidArgument, DeadlineExceeded, NotFound, AlreadyExists, PermissionDenied,
        ResourceExhausted, FailedPrecondition, Aborted, OutOfRange, Unimplemented, Internal, Unavailable,
        DataLoss, Unauthenticated,
    )
}


def rpc_error(code: StatusCode | int, message: str = "", trailers: Mapping[str, str] | None = None) -> RpcError:
    """The exception for a status: an instance of the code's subclass (``RpcError`` for OK)."""
    status = StatusCode.from_wire(int(code))
    cls = _BY_CODE.get(status)
    if cls is None:
        return RpcError(status, message, trailers)
    return cls(message, trailers)
