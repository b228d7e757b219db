"""Fixtures: a real rapportd per session (and per test where flags differ), raw sockets."""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)")


def daemon_user() -> str | None:
    """RAPPORTD_USER: run each daemon as this unprivileged user (needs root; CI sets it to nobody)."""
    user = os.environ.get("RAPPORTD_USER") or None
    if user and os.geteuid() != 0:
        return None  # already unprivileged
    return user


def share_with_daemon_user(path: Path, user: str, writable: bool = False) -> None:
    """Lets `user` reach `path` (a test's data directory, config or certificate): search permission on
    every directory above it (the test's temporary directories are 0700, owned by root), and either
    ownership (writable) or read permission."""
    import pwd

    entry = pwd.getpwnam(user)
    if writable:
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    elif path.exists():
        os.chmod(path, path.stat().st_mode | 0o004)
    for parent in path.parents:
        if parent == Path("/"):
            break
        mode = parent.stat().st_mode
        if mode & 0o001 == 0:
            os.chmod(parent, mode | 0o001)


def rapportd_binary() -> str:
    path = os.environ.get("RAPPORTD") or str(REPO / ".build" / "debug" / "rapportd")
    if not os.access(path, os.X_OK):
        pytest.fail(f"rapportd not found at {path}: build it with `swift build` or set RAPPORTD", pytrace=False)
    return path


def user_group(user: str) -> int:
    import pwd

    return pwd.getpwnam(user).pw_gid


class Daemon:
    """One rapportd process on 127.0.0.1 with a free port; its stderr is kept for assertions."""

    def __init__(self, data_dir: Path, *flags: str):
        self.args = [rapportd_binary(), "--port", "0", "--data-dir", str(data_dir), *flags]
        user = daemon_user()
        if user:
            share_with_daemon_user(data_dir, user, writable=True)
            for flag in flags:
                if flag.startswith("/") and Path(flag).exists():
                    share_with_daemon_user(Path(flag), user)
            self.args = ["setpriv", f"--reuid={user}", f"--regid={user_group(user)}", "--clear-groups", "--", *self.args]
        self.process = subprocess.Popen(
            self.args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.lines: list[str] = []
        ports: queue.Queue[int] = queue.Queue()
        # Keeps reading so the daemon never blocks on a full stderr pipe.
        self._reader = threading.Thread(target=self._read_stderr, args=(ports,), daemon=True)
        self._reader.start()
        try:
            self.port = ports.get(timeout=20)
        except queue.Empty:
            self.process.kill()
            self.wait()
            pytest.fail(f"rapportd did not report its port; stderr:\n{self.log}", pytrace=False)
        self.host = "127.0.0.1"
        self.data_dir = data_dir
        # The credential a daemon without principals writes on first start (tests run as root,
        # so they read it even when the daemon runs as RAPPORTD_USER); None before it has one.
        token_file = data_dir / "local-admin.token"
        self.token = token_file.read_text().strip() if token_file.exists() else None

    def _read_stderr(self, ports: "queue.Queue[int]") -> None:
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            match = LISTENING.search(line)
            if match:
                ports.put(int(match.group(1)))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, *parts: str, timeout: float = 5) -> str:
        """The first log line containing every part, waiting for it to be written."""
        give_up = time.monotonic() + timeout
        while True:
            for line in list(self.lines):
                if all(part in line for part in parts):
                    return line
            if time.monotonic() >= give_up:
                pytest.fail(f"no log line with {parts}; stderr:\n{self.log}", pytrace=False)
            time.sleep(0.02)

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float = 20) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        self.process.stderr.close()
        return code

    def stop(self) -> int:
        """SIGTERM, then the exit code (a hung daemon is killed and reported)."""
        if self.process.poll() is None:
            self.terminate()
        try:
            return self.wait()
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.wait()
            pytest.fail(f"rapportd did not exit after SIGTERM; stderr:\n{self.log}", pytrace=False)


@pytest.fixture(scope="session")
def daemon(tmp_path_factory):
    """The shared daemon with default settings; it must exit 0 at the end of the session."""
    process = Daemon(tmp_path_factory.mktemp("rapportd-data"))
    yield process
    assert process.stop() == 0, process.log


@pytest.fixture
def start_daemon(tmp_path):
    """Starts a daemon with extra flags for one test; each must exit 0 on SIGTERM."""
    started: list[Daemon] = []

    def start(*flags: str) -> Daemon:
        process = Daemon(tmp_path / f"data-{len(started)}", *flags)
        started.append(process)
        return process

    yield start
    for process in started:
        code = process.stop()
        assert code == 0, f"rapportd exited {code}; stderr:\n{process.log}"


@pytest.fixture
def client(daemon):
    from rapport_client import Client

    with Client(daemon.host, daemon.port, token=daemon.token, timeout=10) as c:
        yield c


@pytest.fixture
def fresh(start_daemon):
    """A daemon of this test alone (empty store)."""
    return start_daemon()


@pytest.fixture
def fresh_client(fresh):
    """A blocking client of the test's own daemon."""
    from rapport_client import Client

    with Client(fresh.host, fresh.port, token=fresh.token, timeout=10) as c:
        yield c
