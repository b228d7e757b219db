"""Assertions shared by the tests of the RPCs."""
from __future__ import annotations

import pytest

from rapport_client import RpcError, StatusCode


def fails(code: StatusCode, call, *args, **kwargs) -> RpcError:
    """Runs the call, asserts it fails with `code`, returns the error."""
    with pytest.raises(RpcError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value
