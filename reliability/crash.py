#!/usr/bin/env python3
"""Process-crash test: nothing rapportd acknowledged is lost, nothing is written twice.

Each round starts the release daemon on the same data directory, runs 64 concurrent callers of
LogInteraction, LogInteractions (batches), CreateCustomer, UpdateCustomer, SetConsent and
RecordOfferOutcome (every call that takes a request_id gets a unique one) and records every
acknowledged call; kills the daemon with SIGKILL at a random moment; restarts it (timing the
restart) and checks:

- every acknowledged write is present exactly once, with the content that was acknowledged
  (interactions are found by their employee_id, which carries the request id);
- a write in flight at the kill is present at most once;
- retrying every request id of the round (acknowledged or not) writes nothing twice: an
  acknowledged one replays the acknowledged result, an unacknowledged one is recorded once;
- a customer's profile and consent are those of its last acknowledged update, or of the update in
  flight at the kill (each customer is updated by one caller, one call at a time);
- after the last round, with the daemon stopped: `PRAGMA integrity_check`, the audit chain
  (`rapportd audit verify`) and, where the daemon has it, `rapportd check` (derived tables
  recomputed from the log).

Prints one JSON object (the figures) on stdout; exits 1 when a property fails.

usage: crash.py --rapportd BIN [--rounds N] [--user nobody] [--seed S] [--min-run 1.5] [--max-run 5]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "clients" / "python" / "src"))

from google.protobuf.field_mask_pb2 import FieldMask  # noqa: E402
from google.protobuf.timestamp_pb2 import Timestamp  # noqa: E402

from rapport.v1 import common_pb2 as common  # noqa: E402
from rapport.v1 import customer_pb2 as cpb  # noqa: E402
from rapport.v1 import interaction_pb2 as ipb  # noqa: E402
from rapport.v1 import recommendation_pb2 as rpb  # noqa: E402
from rapport_client import AsyncClient, Client, RpcError  # noqa: E402

LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)")
CALLERS = 64
CONNECTIONS = 8
PRODUCTS = ["CRASH_SAVER", "CRASH_CARD", "CRASH_LOAN"]
KINDS = [ipb.INTERACTION_KIND_INQUIRY, ipb.INTERACTION_KIND_TRANSACTION, ipb.INTERACTION_KIND_SERVICE_REQUEST,
         ipb.INTERACTION_KIND_COMPLAINT, ipb.INTERACTION_KIND_SURVEY_RESPONSE]
CHANNELS = [common.CHANNEL_BRANCH, common.CHANNEL_PHONE, common.CHANNEL_MOBILE_APP, common.CHANNEL_EMAIL]


# -- the daemon ---------------------------------------------------------------------------------


class Daemon:
    """rapportd on 127.0.0.1 with a free port, as `user` when the harness runs as root."""

    def __init__(self, binary: str, data_dir: Path, user: str | None, env: dict | None = None,
                 extra: list[str] | None = None):
        args = [binary, "--port", "0", "--data-dir", str(data_dir), *(extra or [])]
        if user and os.geteuid() == 0:
            entry = pwd.getpwnam(user)
            args = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups", "--", *args]
        started = time.monotonic()
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
        self.lines: list[str] = []
        ports: queue.Queue[int] = queue.Queue()
        threading.Thread(target=self._read, args=(ports,), daemon=True).start()
        try:
            self.port = ports.get(timeout=60)
        except queue.Empty:
            self.process.kill()
            raise SystemExit("rapportd did not report its port:\n" + "\n".join(self.lines[-40:]))
        self.token = (data_dir / "local-admin.token").read_text().strip()
        with Client("127.0.0.1", self.port, token=self.token, timeout=10) as c:
            c.ping()
        self.start_seconds = time.monotonic() - started

    def _read(self, ports: "queue.Queue[int]") -> None:
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            match = LISTENING.search(line)
            if match:
                ports.put(int(match.group(1)))

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def prepare_data_dir(path: Path, user: str | None) -> None:
    """The data directory, owned by the daemon's user, every directory above it searchable."""
    path.mkdir(parents=True, exist_ok=True)
    if user and os.geteuid() == 0:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)
        for parent in path.parents:
            if parent == Path("/"):
                break
            mode = parent.stat().st_mode
            if mode & 0o001 == 0:
                os.chmod(parent, mode | 0o001)


# -- what was asked and what was acknowledged ---------------------------------------------------


@dataclass
class Write:
    """One call that writes: its request (to retry it) and, once acknowledged, what came back."""
    kind: str  # "log", "batch", "create", "offer"
    request: object
    acked: object | None = None


@dataclass
class Owned:
    """A customer one caller alone updates, one call at a time."""
    id: str
    acked_name: str
    pending_name: str | None = None
    acked_granted: bool | None = None
    pending_granted: bool | None = None
    acked_decisions: list[int] = field(default_factory=list)  # decided_at, ms
    last_decided: int = 0  # ms


@dataclass
class Ledger:
    writes: list[Write] = field(default_factory=list)
    customers: list[str] = field(default_factory=list)
    owned: list[Owned] = field(default_factory=list)
    calls: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # status name -> calls that ended with it


def rid() -> str:
    return uuid.uuid4().hex


def now_ts(offset: float = 0) -> Timestamp:
    millis = int((time.time() + offset) * 1000)
    return Timestamp(seconds=millis // 1000, nanos=(millis % 1000) * 1_000_000)


def profile(name: str) -> cpb.CustomerProfile:
    return cpb.CustomerProfile(
        full_name=name, date_of_birth=common.Date(year=1980, month=3, day=14), phone="+447700900456",
        email="crash@example.com", national_id="QQ654321C",
        address=common.Address(line1="1 Test Lane", city="Leeds", postal_code="LS1 1AA", country_code="GB"),
        preferred_language="en-GB", preferred_channel=common.CHANNEL_BRANCH, branch_id="0007",
        relationship_manager_id="rm-1")


def interaction(customer_id: str, request_id: str, rng: random.Random) -> ipb.Interaction:
    kind = rng.choice(KINDS)
    extra: dict = {}
    if kind == ipb.INTERACTION_KIND_SURVEY_RESPONSE:
        extra["survey"] = ipb.SurveyResponse(nps_score=rng.randint(0, 10), reason="crash test")
    if kind == ipb.INTERACTION_KIND_COMPLAINT:
        extra["complaint"] = ipb.ComplaintDetails(category=ipb.COMPLAINT_CATEGORY_FEES_AND_CHARGES,
                                                  severity=ipb.COMPLAINT_SEVERITY_LOW)
    return ipb.Interaction(customer_id=customer_id, kind=kind, channel=rng.choice(CHANNELS),
                           occurred_at=now_ts(-rng.randint(0, 86_400)), employee_id=f"rt-{request_id}",
                           summary=f"crash test {request_id}", **extra)


# -- the load -----------------------------------------------------------------------------------


async def caller(index: int, client: AsyncClient, ledger: Ledger, rng: random.Random, stop: asyncio.Event) -> None:
    owned = ledger.owned[index]
    while not stop.is_set():
        choice = rng.random()
        try:
            if choice < 0.40:
                request_id = rid()
                request = ipb.LogInteractionRequest(request_id=request_id,
                                                    interaction=interaction(rng.choice(ledger.customers), request_id, rng))
                write = Write("log", request)
                ledger.writes.append(write)
                write.acked = await client.interactions.log_interaction(request)
            elif choice < 0.55:
                items = []
                for _ in range(rng.randint(2, 5)):
                    request_id = rid()
                    items.append(ipb.LogInteractionRequest(
                        request_id=request_id, interaction=interaction(rng.choice(ledger.customers), request_id, rng)))
                request = ipb.LogInteractionsRequest(items=items)
                write = Write("batch", request)
                ledger.writes.append(write)
                write.acked = await client.interactions.log_interactions(request)
            elif choice < 0.65:
                request_id = rid()
                request = cpb.CreateCustomerRequest(request_id=request_id, profile=profile(f"Crash {request_id}"))
                write = Write("create", request)
                ledger.writes.append(write)
                write.acked = await client.customers.create_customer(request)
                ledger.customers.append(write.acked.id)
            elif choice < 0.75:
                name = f"Owner {index} v{rid()[:8]}"
                owned.pending_name = name
                await client.customers.update_customer(cpb.UpdateCustomerRequest(
                    id=owned.id, profile=cpb.CustomerProfile(full_name=name), update_mask=FieldMask(paths=["full_name"])))
                owned.acked_name, owned.pending_name = name, None
            elif choice < 0.90:
                granted = not bool(owned.acked_granted)
                # The current decision is the latest by decided_at: keep them strictly increasing.
                millis = max(int(time.time() * 1000), owned.last_decided + 1)
                owned.last_decided = millis
                decided = Timestamp(seconds=millis // 1000, nanos=(millis % 1000) * 1_000_000)
                owned.pending_granted = granted
                await client.customers.set_consent(cpb.SetConsentRequest(customer_id=owned.id, decisions=[
                    cpb.ConsentDecision(channel=cpb.CONSENT_CHANNEL_EMAIL, purpose=cpb.CONSENT_PURPOSE_MARKETING,
                                        granted=granted, decided_at=decided, source=cpb.CONSENT_SOURCE_BRANCH)]))
                owned.acked_granted, owned.pending_granted = granted, None
                owned.acked_decisions.append(decided.seconds * 1000 + decided.nanos // 1_000_000)
            else:
                request_id = rid()
                request = rpb.RecordOfferOutcomeRequest(
                    request_id=request_id, customer_id=rng.choice(ledger.customers), product_code=rng.choice(PRODUCTS),
                    outcome=rng.choice([rpb.OFFER_OUTCOME_ACCEPTED, rpb.OFFER_OUTCOME_DECLINED]),
                    channel=common.CHANNEL_BRANCH, employee_id=f"rt-{request_id}")
                write = Write("offer", request)
                ledger.writes.append(write)
                write.acked = await client.recommendations.record_offer_outcome(request)
            ledger.calls += 1
        except RpcError as error:
            # The daemon is gone or going: what this caller had in flight stays unacknowledged.
            ledger.errors[error.code.name] = ledger.errors.get(error.code.name, 0) + 1
            return
        except (OSError, ConnectionError) as error:
            ledger.errors[type(error).__name__] = ledger.errors.get(type(error).__name__, 0) + 1
            return
        except asyncio.CancelledError:
            return


async def load(daemon: Daemon, ledger: Ledger, seconds: float, rng: random.Random, terminate: bool = False) -> dict:
    """Runs the callers for `seconds`, then kills the daemon under them (SIGKILL), or with
    `terminate` stops it (SIGTERM) and times its exit."""
    stop = asyncio.Event()
    clients = [await AsyncClient.connect("127.0.0.1", daemon.port, token=daemon.token, timeout=30)
               for _ in range(CONNECTIONS)]
    tasks = [asyncio.create_task(caller(i, clients[i % CONNECTIONS], ledger, random.Random(rng.random()), stop))
             for i in range(CALLERS)]
    await asyncio.sleep(seconds)
    stopped: dict = {}
    if terminate:
        started = time.monotonic()
        daemon.process.send_signal(signal.SIGTERM)
        stopped["exit_code"] = await asyncio.to_thread(daemon.process.wait, 60)
        stopped["exit_seconds"] = time.monotonic() - started
    else:
        daemon.kill()
    stop.set()
    await asyncio.wait(tasks, timeout=30)
    for task in tasks:
        task.cancel()
    for client in clients:
        try:
            await client.close()
        except Exception:  # noqa: BLE001 - the connection is already broken
            pass
    return stopped


# -- the checks ---------------------------------------------------------------------------------


def interactions_by_employee(c: Client) -> dict[str, list[ipb.Interaction]]:
    found: dict[str, list[ipb.Interaction]] = {}
    for item in c.interactions.export_interactions(ipb.ExportInteractionsRequest(), timeout=300):
        if item.employee_id.startswith("rt-"):
            found.setdefault(item.employee_id[3:], []).append(item)
    return found


def same_content(stored: ipb.Interaction, acked: ipb.Interaction) -> bool:
    keep = ["id", "customer_id", "channel", "kind", "occurred_at", "recorded_at", "employee_id", "product_code",
            "summary", "survey", "complaint", "follow_up_of"]
    return all(getattr(stored, name) == getattr(acked, name) for name in keep)


def logged_requests(write: Write) -> list[tuple[str, ipb.Interaction | None]]:
    """(request id, acknowledged interaction or None) of each interaction a write records."""
    if write.kind == "log":
        return [(write.request.request_id, write.acked)]
    if write.kind == "batch":
        acked = list(write.acked.interactions) if write.acked is not None else [None] * len(write.request.items)
        return [(item.request_id, result) for item, result in zip(write.request.items, acked)]
    if write.kind == "offer":
        return [(write.request.request_id, write.acked.interaction if write.acked is not None else None)]
    return []


def check(c: Client, ledger: Ledger, failures: list[str], final: bool, allow_loss: bool = False) -> dict:
    """Acknowledged present once with their content; unacknowledged at most once. With `final`
    (after the retries) every request id is present exactly once. With `allow_loss` (a power
    failure under synchronous = NORMAL) an acknowledged write may be missing — counted as lost —
    but nothing may be doubled, altered or torn (a batch is all there or all gone)."""
    found = interactions_by_employee(c)
    acked = unacked = lost = 0
    for write in ledger.writes:
        if write.kind == "batch":
            present = [len(found.get(item.request_id, [])) > 0 for item in write.request.items]
            if any(present) and not all(present):
                failures.append(f"batch of {len(present)}: only {sum(present)} items present (torn)")
        for request_id, result in logged_requests(write):
            rows = found.get(request_id, [])
            if allow_loss and not final and result is not None and not rows:
                lost += 1
                acked += 1
                continue
            if result is not None or final:
                if len(rows) != 1:
                    failures.append(f"{write.kind} {request_id}: {len(rows)} interactions, expected 1")
                elif result is not None and not same_content(rows[0], result):
                    failures.append(f"{write.kind} {request_id}: stored content differs from the acknowledged")
                acked += result is not None
            else:
                unacked += 1
                if len(rows) > 1:
                    failures.append(f"{write.kind} {request_id} (unacknowledged): {len(rows)} interactions")
    names: dict[str, int] = {}
    page_token = ""
    while True:
        page = c.customers.list_customers(cpb.ListCustomersRequest(page_size=500, page_token=page_token))
        for customer in page.customers:
            names[customer.profile.full_name] = names.get(customer.profile.full_name, 0) + 1
        page_token = page.next_page_token
        if not page_token:
            break
    for write in ledger.writes:
        if write.kind != "create":
            continue
        count = names.get(write.request.profile.full_name, 0)
        if allow_loss and not final and write.acked is not None and count == 0:
            lost += 1
            if write.acked.id in ledger.customers:
                ledger.customers.remove(write.acked.id)
            continue
        if write.acked is not None or final:
            if count != 1:
                failures.append(f"create {write.request.request_id}: {count} customers, expected 1")
        elif count > 1:
            failures.append(f"create {write.request.request_id} (unacknowledged): {count} customers")
    for owned in ledger.owned:
        stored = c.customers.get_customer(cpb.GetCustomerRequest(id=owned.id))
        if allow_loss:
            # Any earlier acknowledged state may be what survived; only carry on from it.
            consent = c.customers.get_consent(cpb.GetConsentRequest(customer_id=owned.id))
            current = [d.granted for d in consent.current
                       if d.channel == cpb.CONSENT_CHANNEL_EMAIL and d.purpose == cpb.CONSENT_PURPOSE_MARKETING]
            owned.acked_name, owned.pending_name = stored.profile.full_name, None
            owned.acked_granted, owned.pending_granted = (current[0] if current else None), None
            owned.acked_decisions = []
            continue
        if stored.profile.full_name not in {owned.acked_name, owned.pending_name}:
            failures.append(f"customer {owned.id}: name is neither the acknowledged nor the one in flight")
        consent = c.customers.get_consent(cpb.GetConsentRequest(customer_id=owned.id, include_history=True))
        current = [d.granted for d in consent.current
                   if d.channel == cpb.CONSENT_CHANNEL_EMAIL and d.purpose == cpb.CONSENT_PURPOSE_MARKETING]
        state = current[0] if current else None
        if state not in {owned.acked_granted, owned.pending_granted}:
            failures.append(f"customer {owned.id}: consent is neither the acknowledged nor the one in flight")
        history = [d.decided_at.seconds * 1000 + d.decided_at.nanos // 1_000_000 for d in consent.history
                   if d.channel == cpb.CONSENT_CHANNEL_EMAIL and d.purpose == cpb.CONSENT_PURPOSE_MARKETING]
        for decided in owned.acked_decisions:
            if history.count(decided) != 1:
                failures.append(f"customer {owned.id}: acknowledged consent of {decided} recorded {history.count(decided)} times")
        # What is stored is now the state the next round starts from, whichever of the two it was.
        owned.acked_name, owned.pending_name = stored.profile.full_name, None
        owned.acked_granted, owned.pending_granted = state, None
    return {"acknowledged": acked, "unacknowledged": unacked, "lost": lost}


def retry(c: Client, ledger: Ledger, failures: list[str]) -> int:
    """Sends every request of the round again with its request id; returns how many."""
    count = 0
    for write in ledger.writes:
        try:
            if write.kind == "log":
                answer = c.interactions.log_interaction(write.request)
                if write.acked is not None and answer.id != write.acked.id:
                    failures.append(f"retried log {write.request.request_id} recorded {answer.id}, not {write.acked.id}")
                write.acked = write.acked or answer
            elif write.kind == "batch":
                answer = c.interactions.log_interactions(write.request)
                if write.acked is not None and [i.id for i in answer.interactions] != [i.id for i in write.acked.interactions]:
                    failures.append("a retried batch recorded other interactions than the acknowledged")
                write.acked = write.acked or answer
            elif write.kind == "create":
                answer = c.customers.create_customer(write.request)
                if write.acked is not None and answer.id != write.acked.id:
                    failures.append(f"retried create {write.request.request_id} made {answer.id}, not {write.acked.id}")
                if write.acked is None:
                    ledger.customers.append(answer.id)
                write.acked = write.acked or answer
            elif write.kind == "offer":
                answer = c.recommendations.record_offer_outcome(write.request)
                if write.acked is not None and answer.interaction.id != write.acked.interaction.id:
                    failures.append(f"retried offer {write.request.request_id} recorded another interaction")
                write.acked = write.acked or answer
            count += 1
        except RpcError as error:
            failures.append(f"retried {write.kind}: {error}")
    return count


class PowerLoss:
    """The LD_PRELOAD shim (reliability/powerloss/shim.c) that logs what each write overwrote
    since its file's last sync, and the rollback that makes the files what a power failure would
    have left: nothing written since the last fsync/fdatasync."""

    def __init__(self, work: Path, data_dir: Path, user: str | None):
        self.library = work / "powerloss-shim.so"
        subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", str(self.library),
                        str(REPO / "reliability" / "powerloss" / "shim.c"), "-ldl"], check=True)
        os.chmod(self.library, 0o755)
        self.undo = work / "undo"
        prepare_data_dir(self.undo, user)
        self.data_dir = data_dir.resolve()

    @property
    def env(self) -> dict:
        return {"LD_PRELOAD": str(self.library), "POWERLOSS_DIR": str(self.data_dir), "POWERLOSS_LOG": str(self.undo)}

    def rollback(self) -> dict:
        """Undoes every write not yet synced (newest first, then the file's size at its last
        sync) and deletes SQLite's shared-memory index files, which it rebuilds."""
        files = undone = 0
        for log in sorted(self.undo.glob("*.undo")):
            data = log.read_bytes()
            path, size, writes, at = None, None, [], 0
            while at + 17 <= len(data):
                kind = data[at:at + 1]
                offset = int.from_bytes(data[at + 1:at + 9], "little", signed=True)
                length = int.from_bytes(data[at + 9:at + 17], "little", signed=True)
                at += 17
                payload = data[at:at + max(length, 0)] if kind in (b"P", b"W") else b""
                at += len(payload)
                if kind == b"P":
                    path = payload.decode()
                elif kind == b"S" and size is None:
                    size = offset
                elif kind == b"W":
                    writes.append((offset, payload))
            if path and (writes or size is not None) and os.path.exists(path):
                with open(path, "r+b") as target:
                    for offset, old in reversed(writes):
                        target.seek(offset)
                        target.write(old)
                    if size is not None:
                        target.truncate(size)
                files += 1
                undone += len(writes)
            log.unlink()
        for shm in self.data_dir.glob("*-shm"):
            shm.unlink()
        return {"files": files, "writes_undone": undone}


def shim_self_test(work: Path) -> bool:
    """The shim loses what it should and keeps what it should: a file rewritten without a sync
    comes back as it was, one rewritten and synced keeps its new content."""
    data = work / "shim-test"
    data.mkdir()
    lost, kept = data / "lost", data / "kept"
    lost.write_bytes(b"synced content")
    kept.write_bytes(b"old content")
    power = PowerLoss(work, data, None)
    writer = (
        "import os, sys\n"
        "f = os.open(sys.argv[1], os.O_RDWR); os.pwrite(f, b'UNSYNCED', 0); os.write(f, b'+tail+appended'); os.close(f)\n"
        "g = os.open(sys.argv[2], os.O_RDWR); os.pwrite(g, b'new', 0); os.fsync(g); os.close(g)\n"
        "os.kill(os.getpid(), 9)\n")
    subprocess.run([sys.executable, "-c", writer, str(lost), str(kept)], env={**os.environ, **power.env})
    touched = lost.read_bytes() != b"synced content"
    power.rollback()
    return touched and lost.read_bytes() == b"synced content" and kept.read_bytes() == b"new content"


def inject_loss(data_dir: Path, ledger: Ledger) -> str:
    """Deletes one acknowledged interaction from the stopped daemon's file, as a lost write would
    look; returns its request id."""
    write = next(w for w in ledger.writes if w.kind == "log" and w.acked is not None)
    subprocess.run(["sqlite3", str(data_dir / "rapport.sqlite"), f"DELETE FROM interactions WHERE id = '{write.acked.id}'"],
                   check=True, capture_output=True)
    return write.request.request_id


def offline_checks(binary: str, data_dir: Path, failures: list[str]) -> dict:
    result = subprocess.run(["sqlite3", str(data_dir / "rapport.sqlite"), "PRAGMA integrity_check"],
                            capture_output=True, text=True)
    integrity = result.stdout.strip()
    if integrity != "ok":
        failures.append(f"integrity_check: {integrity or result.stderr.strip()}")
    audit = subprocess.run([binary, "audit", "verify", "--data-dir", str(data_dir)], capture_output=True, text=True)
    if audit.returncode != 0:
        failures.append(f"audit verify: {audit.stdout.strip()} {audit.stderr.strip()}")
    figures = {"integrity_check": integrity, "audit_chain": audit.stdout.strip()}
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    if re.search(r"^\s+check\b", help_text, re.MULTILINE):
        derived = subprocess.run([binary, "check", "--data-dir", str(data_dir), "--json"], capture_output=True, text=True)
        figures["derived_data"] = "consistent" if derived.returncode == 0 else "INCONSISTENT"
        if derived.returncode != 0:
            failures.append(f"rapportd check: {derived.stdout.strip()[:2000]} {derived.stderr.strip()[:500]}")
    return figures


# -- rounds -------------------------------------------------------------------------------------


def setup(daemon: Daemon, ledger: Ledger) -> None:
    with Client("127.0.0.1", daemon.port, token=daemon.token, timeout=30) as c:
        for code in PRODUCTS:
            c.recommendations.upsert_product(rpb.UpsertProductRequest(product=rpb.Product(
                code=code, name=code.title(), category=rpb.PRODUCT_CATEGORY_DEPOSIT)))
        for index in range(CALLERS):
            name = f"Owner {index} v0"
            created = c.customers.create_customer(cpb.CreateCustomerRequest(request_id=rid(), profile=profile(name)))
            ledger.customers.append(created.id)
            ledger.owned.append(Owned(id=created.id, acked_name=name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rapportd", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--user", default=None, help="run the daemon as this user (when the harness is root)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--min-run", type=float, default=1.5)
    parser.add_argument("--max-run", type=float, default=5.0)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--terminate", action="store_true",
                        help="stop the daemon with SIGTERM rather than SIGKILL: it must exit 0 within its grace "
                             "period (10 s), every call answered or refused UNAVAILABLE")
    parser.add_argument("--power-loss", action="store_true",
                        help="after each SIGKILL, also lose every write not yet fsynced (LD_PRELOAD shim)")
    parser.add_argument("--synchronous", choices=["full", "normal"], default="full",
                        help="the store's sqlite_synchronous; with normal, acknowledged writes since the log's "
                             "last sync may be lost (counted, not failed) but nothing may be torn or doubled")
    parser.add_argument("--inject-loss", action="store_true",
                        help="self-test: delete one acknowledged interaction from the file after the first kill; "
                             "exit 0 only when the check names it")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="rapport-crash-"))
    data_dir = work / "data"
    prepare_data_dir(data_dir, args.user)
    ledger = Ledger()
    failures: list[str] = []
    restarts: list[float] = []
    exits: list[float] = []
    totals = {"acknowledged": 0, "unacknowledged": 0, "lost": 0, "retried": 0, "calls": 0}
    if args.power_loss and not shim_self_test(work):
        print(json.dumps({"failures": ["the power-loss shim did not undo an unsynced write or undid a synced one"],
                          "failure_count": 1}))
        shutil.rmtree(work, ignore_errors=True)
        return 1
    power = PowerLoss(work, data_dir, args.user) if args.power_loss else None
    extra: list[str] = []
    if args.synchronous != "full":
        config = work / "rapportd.json"
        config.write_text(json.dumps({"sqlite_synchronous": args.synchronous}))
        os.chmod(config, 0o644)
        extra = ["--config", str(config)]
    start = lambda: Daemon(args.rapportd, data_dir, args.user, power.env if power else None, extra)  # noqa: E731
    rollbacks = {"files": 0, "writes_undone": 0}
    try:
        daemon = start()
        setup(daemon, ledger)
        # A clean stop makes the setup durable whatever the synchronous mode (it checkpoints).
        daemon.stop()
        daemon = start()
        for round_number in range(1, args.rounds + 1):
            round_ledger = Ledger(customers=ledger.customers, owned=ledger.owned)
            stopped = asyncio.run(load(daemon, round_ledger, rng.uniform(args.min_run, args.max_run), rng, args.terminate))
            if args.terminate:
                exits.append(stopped["exit_seconds"])
                if stopped["exit_code"] != 0:
                    failures.append(f"round {round_number}: rapportd exited {stopped['exit_code']} on SIGTERM under load")
                if stopped["exit_seconds"] > 12:
                    failures.append(f"round {round_number}: SIGTERM took {stopped['exit_seconds']:.1f} s (grace period 10 s)")
                refused = {name: count for name, count in round_ledger.errors.items() if name != "UNAVAILABLE"}
                if refused:
                    failures.append(f"round {round_number}: calls ended otherwise than answered or UNAVAILABLE: {refused}")
            if power:
                for key, value in power.rollback().items():
                    rollbacks[key] += value
            if args.inject_loss:
                injected = inject_loss(data_dir, round_ledger)
            daemon = start()
            restarts.append(daemon.start_seconds)
            with Client("127.0.0.1", daemon.port, token=daemon.token, timeout=60) as c:
                figures = check(c, round_ledger, failures, final=False, allow_loss=args.synchronous == "normal")
                totals["lost"] += figures["lost"]
                if args.inject_loss:
                    named = any(injected in failure and "0 interactions" in failure for failure in failures)
                    print(json.dumps({"self_test": "detected" if named else "MISSED", "injected": injected,
                                      "failures": failures[:5]}))
                    daemon.stop()
                    return 0 if named else 1
                totals["acknowledged"] += figures["acknowledged"]
                totals["unacknowledged"] += figures["unacknowledged"]
                if args.synchronous == "full":
                    # Under NORMAL a lost acknowledgement makes its retry a new write: retries are
                    # FULL's property; NORMAL's is that what survived is whole and not doubled.
                    totals["retried"] += retry(c, round_ledger, failures)
                    check(c, round_ledger, failures, final=True)
            totals["calls"] += round_ledger.calls
            ledger.writes += round_ledger.writes
            print(f"round {round_number}: {round_ledger.calls} calls acknowledged, "
                  f"{figures['unacknowledged']} in flight at the kill, {figures['lost']} acknowledged lost, "
                  f"restart {daemon.start_seconds:.2f} s, "
                  f"{len(failures)} failures so far", file=sys.stderr)
        if args.synchronous == "full":
            with Client("127.0.0.1", daemon.port, token=daemon.token, timeout=120) as c:
                check(c, ledger, failures, final=True)
        code = daemon.stop()
        if code != 0:
            failures.append(f"rapportd exited {code} on SIGTERM")
        offline = offline_checks(args.rapportd, data_dir, failures)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    restarts.sort()
    report = {
        "seed": seed, "rounds": args.rounds, **totals,
        "restart_seconds_median": restarts[len(restarts) // 2] if restarts else None,
        "restart_seconds_max": restarts[-1] if restarts else None,
        "signal": "SIGTERM" if args.terminate else "SIGKILL",
        "power_loss": bool(power), "synchronous": args.synchronous, **({"rolled_back": rollbacks} if power else {}),
        "exit_seconds_max": max(exits) if exits else None,
        **offline, "failures": failures[:50], "failure_count": len(failures),
    }
    print(json.dumps(report))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
