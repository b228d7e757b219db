#!/usr/bin/env python3
"""Hostile input against a live rapportd: after each attack a normal client on another connection
is served correctly, the daemon is still running, and at the end its RSS is back within 10% of
where it was after the warm-up rounds of the same attacks (which fill the caches that are meant to
fill: SQLite's page caches, NIO's pools, the allocator's arenas).

Attacks, each on connections of their own:
- random bytes (1 B to 64 KiB);
- truncated frames: a valid request cut at a random byte, then the connection closed or left open;
- length prefixes from 0 to 2^32-1 with a few bytes after them;
- for every method the daemon lists through reflection (so a new method is covered without a new
  test): requests with random payloads, mutated valid payloads, and, for every field of the request
  message (from the served descriptors), extreme values — integers at their limits, unknown enum
  numbers, timestamps far out of range, strings with NUL, invalid UTF-8, lone-surrogate encodings,
  RTL marks and 1 MB of text, repeated fields with thousands of elements, a wrong wire type;
- metadata: huge, many and non-ASCII keys and values, and forged authorization values.

Prints one JSON object on stdout; exits 1 when a property fails.

usage: hostile.py --rapportd BIN [--user nobody] [--warmup 4] [--rounds 2] [--seed S]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "clients" / "python" / "src"))
sys.path.insert(0, str(REPO / "reliability"))

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory  # noqa: E402
from google.protobuf.descriptor import FieldDescriptor  # noqa: E402

from rapport.diagnostics.v1 import diagnostics_pb2  # noqa: E402
from rapport.reflection.v1 import reflection_pb2  # noqa: E402
from rapport.wire.v1 import frame_pb2  # noqa: E402
from rapport_client import Client  # noqa: E402

from crash import Daemon, prepare_data_dir  # noqa: E402

ECHO = "/rapport.diagnostics.v1.Diagnostics/Echo"


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def key(number: int, wire_type: int) -> bytes:
    return varint((number << 3) | wire_type)


def length_delimited(number: int, payload: bytes) -> bytes:
    return key(number, 2) + varint(len(payload)) + payload


STRINGS = [b"", b"\x00", b"a\x00b", b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\x80", "\u202e\u200fmark".encode(),
           "\U0001F600" .encode() * 1000, b"x" * (1 << 20), b"\xe2\x80", "\ufeff".encode()]
INTEGERS = [0, 1, -1, 2**31 - 1, -(2**31), 2**32 - 1, 2**63 - 1, -(2**63), 2**64 - 1]


def hostile_fields(field: FieldDescriptor, rng: random.Random) -> list[bytes]:
    """Encoded values of `field` a caller should never send (and a few it may)."""
    n = field.number
    out: list[bytes] = []
    if field.type in (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES):
        out += [length_delimited(n, value) for value in STRINGS]
    elif field.type == FieldDescriptor.TYPE_MESSAGE:
        inner = field.message_type
        # Timestamps and durations far out of range; nested junk; deep nesting.
        out += [length_delimited(n, key(1, 0) + varint(value) + key(2, 0) + varint(nanos))
                for value in INTEGERS for nanos in (0, 999_999_999, 2**31 - 1, -1)]
        out.append(length_delimited(n, bytes(rng.getrandbits(8) for _ in range(64))))
        nested = b""
        for _ in range(200):
            nested = length_delimited(n, nested)
        out.append(nested)
        for sub in inner.fields[:6]:
            out += [length_delimited(n, value) for value in hostile_fields(sub, rng)[:4]]
    elif field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64):
        out += [key(n, 1) + struct.pack("<d", value) for value in (float("nan"), float("inf"), -float("inf"), 1e308)]
    elif field.type in (FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_SFIXED32):
        out += [key(n, 5) + struct.pack("<f", value) for value in (float("nan"), float("inf"), -float("inf"))]
    else:  # varints: integers, enums (unknown numbers included), booleans
        out += [key(n, 0) + varint(value) for value in INTEGERS]
    if getattr(field, "is_repeated", False) and out:
        out.append(out[0] * 5000)
    out.append(key(n, 5) + b"\x01\x02\x03\x04")  # a wire type the field does not have
    return out


class Raw:
    """A bare connection speaking the framing."""

    def __init__(self, port: int, token: str):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.token = token

    def frame(self, method: str, payload: bytes, call_id: int = 1, metadata: dict | None = None) -> bytes:
        frame = frame_pb2.Frame()
        frame.request.call_id = call_id
        frame.request.method = method
        frame.request.payload = payload
        frame.request.metadata["authorization"] = f"Bearer {self.token}"
        for name, value in (metadata or {}).items():
            frame.request.metadata[name] = value
        body = frame.SerializeToString()
        return struct.pack(">I", len(body)) + body

    def send(self, data: bytes) -> bool:
        """False when the daemon has closed the connection (it may, judging it hostile)."""
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def drain(self, seconds: float = 0.3) -> None:
        self.sock.settimeout(seconds)
        try:
            while self.sock.recv(65536):
                pass
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """VmRSS, or one of its parts: RssAnon (the heap), RssFile, RssShmem (SQLite's mapped index)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def methods_and_messages(c: Client):
    """Every method (path, request message class) the daemon serves, from reflection."""
    services = c.call_unary("/rapport.reflection.v1.Reflection/ListServices",
                            reflection_pb2.ListServicesRequest().SerializeToString(), timeout=10)
    listed = reflection_pb2.ListServicesResponse.FromString(services)
    files = reflection_pb2.GetFileDescriptorSetResponse.FromString(
        c.call_unary("/rapport.reflection.v1.Reflection/GetFileDescriptorSet",
                     reflection_pb2.GetFileDescriptorSetRequest().SerializeToString(), timeout=10))
    fds = descriptor_pb2.FileDescriptorSet.FromString(files.file_descriptor_set)
    pool = descriptor_pool.DescriptorPool()
    for proto in fds.file:
        pool.Add(proto)
    found = []
    for service in listed.services:
        for method in service.methods:
            request = pool.FindMessageTypeByName(method.request_type.lstrip("."))
            found.append((f"/{service.name}/{method.name}", request))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rapportd", required=True)
    parser.add_argument("--user", default=None)
    parser.add_argument("--rounds", type=int, default=2,
                        help="times the whole attack set is repeated after the warm-up rounds")
    parser.add_argument("--warmup", type=int, default=4, help="rounds before the RSS baseline is taken")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="rapport-hostile-"))
    data_dir = work / "data"
    prepare_data_dir(data_dir, args.user)
    failures: list[str] = []
    attacks = 0
    methods: list = []
    per_round: list[int] = []
    anon_by_round: list[int] = []
    baseline = peak = after = 0
    # Caches sized by entries would grow with what the attacks create (customers, contexts) and
    # hide a leak: they are turned off, so growth between rounds is the daemon's own.
    config = work / "rapportd.json"
    config.write_text(json.dumps({"customer_cache_capacity": 0}))
    os.chmod(config, 0o644)
    os.chmod(work, 0o755)
    daemon = Daemon(args.rapportd, data_dir, args.user, extra=["--config", str(config)])
    witness = Client("127.0.0.1", daemon.port, token=daemon.token, timeout=10)

    def served(after: str) -> None:
        if daemon.process.poll() is not None:
            failures.append(f"rapportd exited ({daemon.process.returncode}) after {after}")
            raise SystemExit
        try:
            payload = bytes(rng.getrandbits(8) for _ in range(32))
            answer = diagnostics_pb2.EchoResponse.FromString(witness.call_unary(
                ECHO, diagnostics_pb2.EchoRequest(payload=payload).SerializeToString(), timeout=10))
            if answer.payload != payload:
                failures.append(f"the witness got a wrong echo after {after}")
        except Exception as error:  # noqa: BLE001
            failures.append(f"the witness was not served after {after}: {error}")

    try:
        methods = methods_and_messages(witness)
        for _ in range(10):
            served("warm-up")
        # The warm-up rounds fill what is meant to fill (SQLite's page caches of every connection,
        # NIO's buffer pools, the allocator's arenas); the rounds after them must not grow the daemon.
        for round_number in range(args.warmup + args.rounds):
            if round_number >= 1:
                time.sleep(2)
                per_round.append(rss_kib(daemon.process.pid))
                anon_by_round.append(rss_kib(daemon.process.pid, "RssAnon"))
            if round_number == args.warmup:
                baseline = peak = per_round[-1]
            for size in [1, 3, 4, 5, 17, 1024, 65536]:
                raw = Raw(daemon.port, daemon.token)
                raw.send(bytes(rng.getrandbits(8) for _ in range(size)))
                raw.drain()
                raw.close()
                attacks += 1
            served("random bytes")
            for _ in range(20):
                raw = Raw(daemon.port, daemon.token)
                whole = raw.frame(ECHO, b"\x0a\x04ping")
                raw.send(whole[:rng.randrange(1, len(whole))])
                if rng.random() < 0.5:
                    raw.drain(0.05)
                raw.close()
                attacks += 1
            served("truncated frames")
            for length in [0, 1, 2**20, 2**22 + 1, 2**24, 2**31, 2**32 - 1]:
                raw = Raw(daemon.port, daemon.token)
                raw.send(struct.pack(">I", length) + b"\x0a\x00" * 8)
                raw.drain()
                raw.close()
                attacks += 1
            served("length prefixes")
            for name, value in [("x" * 100_000, "v"), ("k", "v" * 1_000_000), ("authorization", "Bearer " + "A" * 100_000),
                                ("authorization", "Basic Zm9vOmJhcg=="), ("\u00e9t\u00e9", "\u202e"), ("", "")]:
                raw = Raw(daemon.port, daemon.token)
                frame = frame_pb2.Frame()
                frame.request.call_id = 1
                frame.request.method = ECHO
                frame.request.metadata[name] = value
                body = frame.SerializeToString()
                raw.send(struct.pack(">I", len(body)) + body)
                raw.drain()
                raw.close()
                attacks += 1
            many = Raw(daemon.port, daemon.token)
            frame = frame_pb2.Frame()
            frame.request.call_id = 1
            frame.request.method = ECHO
            for index in range(20_000):
                frame.request.metadata[f"k{index}"] = "v"
            body = frame.SerializeToString()
            many.send(struct.pack(">I", len(body)) + body)
            many.drain()
            many.close()
            attacks += 1
            served("hostile metadata")
            for path, request in methods:
                raw = Raw(daemon.port, daemon.token)
                call_id = 1
                payloads = [bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 512))) for _ in range(10)]
                for field in request.fields:
                    payloads += hostile_fields(field, rng)
                for payload in payloads:
                    if not raw.send(raw.frame(path, payload, call_id)):
                        raw.close()
                        raw = Raw(daemon.port, daemon.token)
                        raw.send(raw.frame(path, payload, call_id))
                    call_id += 1
                    attacks += 1
                    if call_id % 32 == 0:
                        raw.drain(0.2)
                raw.drain(1.0)
                raw.close()
                served(f"hostile payloads for {path}")
                peak = max(peak, rss_kib(daemon.process.pid))
        time.sleep(2)
        after = rss_kib(daemon.process.pid)
        per_round.append(after)
        if after > baseline * 1.10 + 2048:
            failures.append(f"RSS {after} KiB after the attacks, {baseline} KiB before (more than 10% + 2 MiB)")
        witness.close()
        code = daemon.stop()
        if code != 0:
            failures.append(f"rapportd exited {code} on SIGTERM after the attacks")
    except SystemExit:
        after = rss_kib(daemon.process.pid) if daemon.process.poll() is None else 0
    finally:
        if daemon.process.poll() is None:
            daemon.process.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"seed": seed, "methods": len(methods), "attacks": attacks,
                      "rss_before_kib": baseline, "rss_peak_kib": peak, "rss_after_kib": after,
                      "rss_by_round_kib": per_round,
                      "anon_by_round_kib": anon_by_round,
                      "failures": failures[:50], "failure_count": len(failures)}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
