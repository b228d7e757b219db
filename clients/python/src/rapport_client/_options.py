"""Per-call settings: the deadline and the metadata, merged with the client's defaults."""
from __future__ import annotations

import math
import time
from typing import Mapping, Optional

from .status import DeadlineExceeded


def merge_metadata(
    defaults: Mapping[str, str], metadata: Optional[Mapping[str, str]], token: Optional[str]
) -> dict[str, str]:
    """The call's metadata: client defaults, overridden by the call's, then the token if any."""
    merged = dict(defaults)
    if metadata:
        merged.update(metadata)
    if token is not None:
        merged["authorization"] = f"Bearer {token}"
    for key, value in merged.items():
        # protobuf would raise a less helpful TypeError deep inside serialization.
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"metadata keys and values must be str, got {key!r}: {value!r}")
    return merged


def deadline(timeout: Optional[float]) -> Optional[float]:
    """The time.monotonic() instant a call must end by, or None for no deadline."""
    if timeout is None:
        return None
    if timeout <= 0:
        raise DeadlineExceeded(f"timeout of {timeout} seconds leaves no time for the call; not sent")
    return time.monotonic() + timeout


def timeout_ms(deadline_at: Optional[float]) -> int:
    """What to send as timeout_ms: the remaining time rounded up, at least 1; 0 means none."""
    if deadline_at is None:
        return 0
    return max(1, math.ceil((deadline_at - time.monotonic()) * 1000))


def expired(timeout: Optional[float]) -> DeadlineExceeded:
    return DeadlineExceeded(f"deadline of {timeout} seconds exceeded (enforced by the client)")
