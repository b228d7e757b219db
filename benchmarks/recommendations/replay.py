"""Rapport's own recommender in the evaluation: a fresh `rapportd` is given exactly the training
side of the split through its public API, then asked `GetRecommendations` as of the day before
each evaluated customer's hidden acquisition.

What the daemon is given (the same information the baselines get, see README "Rapport in the
evaluation"):

* the catalog (UpsertProduct, from the seeded store's products);
* every customer (CreateCustomer with the stored profile and consent decisions), holding only the
  products its row of the training matrix holds: opened before the cutoff, and for an evaluated
  customer its known products (opened before its hidden day). Nothing on or after a customer's
  hidden day is ever sent, so the co-holding, next-step and segment statistics the daemon keeps
  incrementally are built from training data only;
* each evaluated customer's inquiries, complaints, survey responses, follow-ups and offers that
  occurred before its hidden day (LogInteractions): the recent-intent, open-complaint and cooldown
  rules read them as of the day asked.

The daemon is then asked with `as_of` = hidden day - 1 on the branch channel for up to 50 items;
actions (follow-ups, retention reviews) are set aside and the first 7 products are the ranking.
A customer the rules keep from any sales offer that day (no marketing consent, an open complaint)
is reported and left out of every model's metrics: those are rules, not ranking.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bank import REPO_ROOT  # noqa: F401  (puts the generated messages on the path)
from rapport.v1 import common_pb2, customer_pb2, interaction_pb2, recommendation_pb2
from rapport_client import AsyncClient

# Kinds the recommender reads from a customer's history (the store's own kind names).
HISTORY_KINDS = ("inquiry", "complaint", "surveyResponse", "followUp", "offerPresented", "offerAccepted",
                 "offerDeclined", "offerIgnored")
# How far back before the day asked the history is replayed: the recommender's longest look-back
# (intent window, cooldowns) is well inside it.
HISTORY_DAYS = 400
CONCURRENCY = 64


def _enum(enum_type, prefix: str, name: str) -> int:
    """A proto enum number from a store name: "mobileApp" → CHANNEL_MOBILE_APP."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()
    return enum_type.Value(f"{prefix}_{snake}")


def _timestamp(milliseconds: int):
    from google.protobuf.timestamp_pb2 import Timestamp
    return Timestamp(seconds=milliseconds // 1000, nanos=(milliseconds % 1000) * 1_000_000)


@dataclass
class ReplayPlan:
    """What to send: the training holdings per customer and the evaluated customers' days."""

    holdings: dict[str, set[str]]          # original customer id → product codes to hold
    asked: dict[str, dt.date]              # evaluated customer id → hidden day (ask as of the day before)
    new_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class RapportRun:
    """The daemon's rankings and who the rules left without a sales offer."""

    rankings: dict[str, list[str]]         # original customer id → up to 7 product codes
    excluded: dict[str, str]               # original customer id → the notice that kept offers away
    load_seconds: float
    ask_seconds: float


class Daemon:
    """A `rapportd` on a free port with its own data directory, stopped on exit."""

    def __init__(self, binary: str, data_dir: str):
        self.binary, self.data_dir = binary, data_dir

    def __enter__(self) -> "Daemon":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = open(Path(self.data_dir) / "rapportd.log", "w")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--data-dir", self.data_dir, "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"rapportd exited with {self.process.returncode}; see {self.log.name}")
                time.sleep(0.1)
        raise RuntimeError("rapportd did not start listening within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=120)  # a graceful shutdown checkpoints the WAL
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _products(db: sqlite3.Connection) -> list:
    """The seeded catalog, as the daemon serves it (decoded from the store's product rows)."""
    rows = db.execute("SELECT definition FROM products ORDER BY code").fetchall()
    return [recommendation_pb2.Product.FromString(row[0]) for row in rows]


async def _bounded(tasks, limit: int = CONCURRENCY):
    """Runs coroutine factories with at most `limit` in flight; their results in order."""
    semaphore = asyncio.Semaphore(limit)

    async def run(factory):
        async with semaphore:
            return await factory()

    return await asyncio.gather(*(run(t) for t in tasks))


async def _load(client, db: sqlite3.Connection, plan: ReplayPlan) -> None:
    for product in _products(db):
        await client.recommendations.upsert_product(recommendation_pb2.UpsertProductRequest(product=product))
    consents: dict[str, list] = {}
    for row in db.execute("SELECT customer_id, channel, purpose, granted, decided_at, source, source_detail, recorded_by "
                          "FROM consent_decisions ORDER BY customer_id, seq"):
        consents.setdefault(row[0], []).append(customer_pb2.ConsentDecision(
            channel=_enum(customer_pb2.ConsentChannel, "CONSENT_CHANNEL", row[1]),
            purpose=_enum(customer_pb2.ConsentPurpose, "CONSENT_PURPOSE", row[2]),
            granted=bool(row[3]), decided_at=_timestamp(row[4]),
            source=_enum(customer_pb2.ConsentSource, "CONSENT_SOURCE", row[5]),
            source_detail=row[6], recorded_by=row[7]))

    def create(customer_id: str, profile_bytes: bytes):
        async def call():
            profile = customer_pb2.CustomerProfile.FromString(profile_bytes)
            keep = plan.holdings.get(customer_id, set())
            held = [h for h in profile.products if h.product_code in keep]
            del profile.products[:]
            profile.products.extend(held)
            created = await client.customers.create_customer(customer_pb2.CreateCustomerRequest(profile=profile))
            plan.new_ids[customer_id] = created.id
            if customer_id in consents:
                await client.customers.set_consent(customer_pb2.SetConsentRequest(
                    customer_id=created.id, decisions=consents[customer_id]))
        return call

    rows = db.execute("SELECT id, profile FROM customers ORDER BY id").fetchall()
    if any(isinstance(p, str) for _, p in rows):
        raise RuntimeError("this store has JSON profile rows; re-seed it with the current rapportd")
    await _bounded([create(cid, profile) for cid, profile in rows])
    await _bounded([_log_history(client, db, cid, day, plan) for cid, day in plan.asked.items()])


def _log_history(client, db: sqlite3.Connection, customer_id: str, day: dt.date, plan: ReplayPlan):
    end = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp() * 1000)
    start = end - HISTORY_DAYS * 86_400_000
    marks = ",".join("?" * len(HISTORY_KINDS))
    rows = db.execute(
        f"SELECT id, channel, kind, occurred_at, employee_id, product_code, summary, nps_score, survey_reason, "
        f"complaint_category, complaint_severity, follow_up_of FROM interactions "
        f"WHERE customer_id = ? AND kind IN ({marks}) AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id",
        (customer_id, *HISTORY_KINDS, start, end)).fetchall()

    def message(row, new_id: str, follow_up_of: str = ""):
        fields = dict(customer_id=new_id, channel=_enum(common_pb2.Channel, "CHANNEL", row[1]),
                      kind=_enum(interaction_pb2.InteractionKind, "INTERACTION_KIND", row[2]),
                      occurred_at=_timestamp(row[3]), employee_id=row[4], product_code=row[5], summary=row[6])
        if row[7] is not None:
            fields["survey"] = interaction_pb2.SurveyResponse(nps_score=row[7], reason=row[8] or "")
        if row[9] is not None:
            fields["complaint"] = interaction_pb2.ComplaintDetails(
                category=_enum(interaction_pb2.ComplaintCategory, "COMPLAINT_CATEGORY", row[9]),
                severity=_enum(interaction_pb2.ComplaintSeverity, "COMPLAINT_SEVERITY", row[10]))
        if follow_up_of:
            fields["follow_up_of"] = follow_up_of
        return interaction_pb2.LogInteractionRequest(interaction=interaction_pb2.Interaction(**fields))

    async def call():
        new_id = plan.new_ids[customer_id]
        first = [r for r in rows if r[2] != "followUp"]
        ids: dict[str, str] = {}
        if first:
            logged = await client.interactions.log_interactions(
                interaction_pb2.LogInteractionsRequest(items=[message(r, new_id) for r in first]))
            ids = {r[0]: i.id for r, i in zip(first, logged.interactions)}
        # A follow-up answers an interaction logged above (one outside the window is dropped).
        follow_ups = [message(r, new_id, ids[r[11]]) for r in rows if r[2] == "followUp" and r[11] in ids]
        if follow_ups:
            await client.interactions.log_interactions(interaction_pb2.LogInteractionsRequest(items=follow_ups))
    return call


async def _ask(client, plan: ReplayPlan) -> tuple[dict[str, list[str]], dict[str, str]]:
    rankings: dict[str, list[str]] = {}
    excluded: dict[str, str] = {}

    def ask(customer_id: str, day: dt.date):
        async def call():
            before = day - dt.timedelta(days=1)
            answer = await client.recommendations.get_recommendations(recommendation_pb2.GetRecommendationsRequest(
                customer_id=plan.new_ids[customer_id], channel=common_pb2.CHANNEL_BRANCH, max_results=50,
                as_of=common_pb2.Date(year=before.year, month=before.month, day=before.day)))
            products = [r.product_code for r in answer.recommendations if r.product_code]
            blocking = [n.code for n in answer.notices if n.code in ("NO_MARKETING_CONSENT", "OPEN_COMPLAINT", "OPEN_DETRACTOR")]
            if blocking and not products:
                excluded[customer_id] = blocking[0]
            else:
                rankings[customer_id] = products[:7]
        return call

    await _bounded([ask(cid, day) for cid, day in plan.asked.items()], limit=16)
    return rankings, excluded


def run(binary: str, store: Path, plan: ReplayPlan) -> RapportRun:
    """Loads `plan` into a fresh daemon and asks it; the store is read, never written."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    with tempfile.TemporaryDirectory(prefix="rapport-eval-") as data_dir, Daemon(binary, data_dir) as daemon:
        async def main():
            async with AsyncClient.connect("127.0.0.1", daemon.port, timeout=60) as client:
                started = time.perf_counter()
                await _load(client, db, plan)
                loaded = time.perf_counter()
                print(f"replay: loaded {len(plan.new_ids):,} customers and the histories of {len(plan.asked):,} "
                      f"in {loaded - started:.0f} s; asking", file=sys.stderr)
                rankings, excluded = await _ask(client, plan)
                return RapportRun(rankings, excluded, loaded - started, time.perf_counter() - loaded)
        return asyncio.run(main())


def default_binary() -> str:
    """The release build when there is one, else the debug build."""
    for candidate in (REPO_ROOT / ".build-rel" / "release" / "rapportd", REPO_ROOT / ".build" / "release" / "rapportd",
                      REPO_ROOT / ".build" / "debug" / "rapportd"):
        if candidate.exists():
            return str(candidate)
    return os.environ.get("RAPPORTD", "rapportd")


def plan_for(customers, split) -> ReplayPlan:
    """The holdings each customer is created with (its training-matrix row) and the days to ask."""
    items = split.train.items
    matrix = split.train.matrix
    holdings = {c.id: {items[i] for i in matrix[row].indices} for row, c in enumerate(customers)}
    asked = {cid: day for cid, day in zip(split.queries.customer_ids, split.queries.as_of)}
    return ReplayPlan(holdings=holdings, asked=asked)


class RapportDaemonModel:
    """The rankings a `RapportRun` got from the daemon, served as a model of the harness."""

    name = "rapport (daemon)"

    def __init__(self, run_result: RapportRun, items: list[str]):
        self.run_result = run_result
        self.index = {code: i for i, code in enumerate(items)}
        self.params = {"load_seconds": round(run_result.load_seconds, 1), "ask_seconds": round(run_result.ask_seconds, 1)}

    def fit(self, train) -> None:
        """Nothing to fit: the daemon learned from the writes that loaded it."""

    def recommend(self, queries, k: int):
        import numpy as np
        out = np.full((len(queries.customer_ids), k), -1, dtype=np.int64)
        for n, cid in enumerate(queries.customer_ids):
            ranked = [self.index[c] for c in self.run_result.rankings.get(cid, []) if c in self.index][:k]
            out[n, :len(ranked)] = ranked
        return out
