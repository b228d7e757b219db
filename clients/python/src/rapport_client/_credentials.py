"""Finding the bearer token a client sends, in the order every Rapport client uses.

1. the ``token=`` argument;
2. the environment variable ``RAPPORT_TOKEN``;
3. the file named by ``RAPPORT_TOKEN_FILE``;
4. ``<data_dir>/local-admin.token`` (default data dir ``rapport-data``, as rapportd's), the
   credential a daemon without principals writes on first start; only for a loopback host, so
   that a local admin credential is never sent to another machine.
"""
from __future__ import annotations

import ipaddress
import os
from typing import Optional

DEFAULT_DATA_DIR = "rapport-data"
LOCAL_ADMIN_TOKEN = "local-admin.token"
# Tokens are "rapport_" + 43 characters; a larger file is not a token file.
_MAX_TOKEN_FILE_BYTES = 4096


class CredentialError(ValueError):
    """A credential source that was named (or exists) cannot be used."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token_file(path: str, what: str) -> str:
    """The token in ``path``, without trailing whitespace; CredentialError when unusable."""
    try:
        with open(path, "rb") as file:
            data = file.read(_MAX_TOKEN_FILE_BYTES + 1)
    except OSError as error:
        raise CredentialError(f"{what} {path} cannot be read: {error.strerror or error}") from error
    token = data.decode("utf-8", errors="replace").rstrip()
    if not token or len(data) > _MAX_TOKEN_FILE_BYTES or "\n" in token:
        raise CredentialError(f"{what} {path} holds no token")
    return token


def find(host: str, token: Optional[str] = None, data_dir: Optional[str] = None) -> Optional[str]:
    """The token to send to ``host``, or None when no source gives one."""
    if token:
        return token
    from_env = os.environ.get("RAPPORT_TOKEN")
    if from_env:
        return from_env
    token_file = os.environ.get("RAPPORT_TOKEN_FILE")
    if token_file:
        return read_token_file(token_file, "RAPPORT_TOKEN_FILE")
    if is_loopback(host):
        path = os.path.join(data_dir or DEFAULT_DATA_DIR, LOCAL_ADMIN_TOKEN)
        if os.path.exists(path):
            return read_token_file(path, "the local admin credential")
    return None
