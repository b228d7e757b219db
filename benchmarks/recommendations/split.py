"""The time split: hide each evaluated customer's most recent acquisition, train on the past only.

Rules (see README.md, "The split"):

* A customer is a candidate when it has at least 2 dated holdings. Its **hidden** product is the
  most recently opened one; ties on that day go to the one listed last in the profile (the order
  the seed accepted them in; deterministic for any store). The hidden day is `t_c`.
* The customer's **known** products are those opened strictly before `t_c` (a product opened on
  `t_c` besides the hidden one is neither known nor hidden: it is information from that day).
  Candidates with no known product are cold starts and are not evaluated (counted).
* One **global cutoff** `T` (a date): customers whose `t_c >= T` are evaluated, and the models are
  trained on every customer's holdings opened strictly before `T`. Since `T <= t_c`, nothing from
  on or after any evaluated customer's hidden acquisition enters training. At query time a model
  sees the customer's own known products (opened before `t_c`, possibly between `T` and `t_c`).
* Nothing the customer knows is recommended: known products are excluded from every ranking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from bank import Customer

AGE_BANDS = ((18, 24), (25, 39), (40, 49), (50, 64), (65, 200))


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    """Completed years on `day`, or None without a birth date."""
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(birth: dt.date | None, day: dt.date) -> str:
    """The age band on `day`, e.g. "25-39"; "unknown" without a birth date, "<18" below 18."""
    age = age_on(birth, day)
    if age is None:
        return "unknown"
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return "<18"


def segment(customer: Customer, day: dt.date) -> str:
    """Value tier × age band on `day`, e.g. "affluent/40-49"."""
    return f"{customer.value_tier}/{age_band(customer.birth, day)}"


def hidden_index(customer: Customer) -> int:
    """Index (in the profile) of the most recently opened holding; ties: the last listed."""
    return max(range(len(customer.holdings)), key=lambda i: (customer.holdings[i].opened_on, i))


@dataclass
class Queries:
    """The evaluated customers, each with what a model may see as of the day before `t_c`."""

    customer_ids: list[str]
    rows: np.ndarray          # the customer's row in TrainData.matrix
    known: sparse.csr_matrix  # evaluated customers × items: products opened before t_c
    as_of: list[dt.date]      # t_c, the hidden acquisition's day (ask "as of the day before")
    segments: list[str]       # value tier × age band on t_c
    hidden: np.ndarray        # the hidden product's item index


@dataclass
class TrainData:
    """Every customer's holdings opened before the cutoff, as a binary customers × items matrix."""

    matrix: sparse.csr_matrix
    segments: list[str]       # each row's value tier × age band on the cutoff
    items: list[str]          # item index → product code
    cutoff: dt.date


@dataclass
class Split:
    """The train side, the evaluated queries, and counts of who was left out and why."""

    train: TrainData
    queries: Queries
    candidates: int
    cold_starts: int
    before_cutoff: int
    reacquired: int  # the hidden product was held before (closed and opened again): not evaluated


def _binary_matrix(rows_of_items: list[list[int]], n_items: int) -> sparse.csr_matrix:
    """A binary CSR matrix, one row per list of item indices."""
    indptr = np.cumsum([0] + [len(r) for r in rows_of_items])
    indices = np.fromiter((i for r in rows_of_items for i in r), dtype=np.int32, count=indptr[-1])
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows_of_items), n_items))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def _items_before(customer: Customer, day: dt.date, item_index: dict[str, int]) -> list[int]:
    """Item indices of the customer's products opened strictly before `day`, each once."""
    return sorted({item_index[h.code] for h in customer.holdings if h.opened_on < day})


def choose_cutoff(customers: list[Customer], quantile: float) -> dt.date:
    """The date such that `1 - quantile` of the candidates' hidden acquisitions are on or after it."""
    days = sorted(c.holdings[hidden_index(c)].opened_on for c in customers if len(c.holdings) >= 2)
    if not days:
        raise ValueError("no customer has 2 dated holdings")
    return days[min(len(days) - 1, int(quantile * len(days)))]


def make_split(customers: list[Customer], items: list[str], cutoff: dt.date) -> Split:
    """Builds the training matrix (before `cutoff`) and the queries (hidden on or after it)."""
    item_index = {code: i for i, code in enumerate(items)}
    train_rows = [_items_before(c, cutoff, item_index) for c in customers]
    train = TrainData(
        matrix=_binary_matrix(train_rows, len(items)),
        segments=[segment(c, cutoff) for c in customers],
        items=items,
        cutoff=cutoff,
    )
    ids, rows, known, as_of, segments, hidden = [], [], [], [], [], []
    candidates = cold = early = again = 0
    for row, customer in enumerate(customers):
        if len(customer.holdings) < 2:
            continue
        candidates += 1
        held_out = customer.holdings[hidden_index(customer)]
        day = held_out.opened_on
        if day < cutoff:
            early += 1
            continue
        known_items = _items_before(customer, day, item_index)
        if not known_items:
            cold += 1
            continue
        if item_index[held_out.code] in known_items:
            again += 1
            continue
        ids.append(customer.id)
        rows.append(row)
        known.append(known_items)
        as_of.append(day)
        segments.append(segment(customer, day))
        hidden.append(item_index[held_out.code])
    queries = Queries(ids, np.array(rows, dtype=np.int64), _binary_matrix(known, len(items)),
                      as_of, segments, np.array(hidden, dtype=np.int64))
    return Split(train, queries, candidates, cold, early, again)


def sample_queries(queries: Queries, limit: int, seed: int) -> Queries:
    """A seeded random sample of `limit` queries (all of them when there are fewer)."""
    n = len(queries.customer_ids)
    if limit >= n:
        return queries
    return _take(queries, np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False)))


def _take(queries: Queries, pick) -> Queries:
    """The queries at the given positions, in that order."""
    return Queries(
        customer_ids=[queries.customer_ids[i] for i in pick],
        rows=queries.rows[pick],
        known=queries.known[pick],
        as_of=[queries.as_of[i] for i in pick],
        segments=[queries.segments[i] for i in pick],
        hidden=queries.hidden[pick],
    )


def _earliest_openings(customer: Customer, item_index: dict[str, int]) -> dict[int, dt.date]:
    """Item index → the first day the customer opened that product."""
    earliest: dict[int, dt.date] = {}
    for h in customer.holdings:
        i = item_index[h.code]
        earliest[i] = min(earliest.get(i, h.opened_on), h.opened_on)
    return earliest


def leaks(customers: list[Customer], split: Split) -> list[str]:
    """Every violation of the no-leak rule, as sentences (empty when the split is clean).

    Checks that no training entry was opened on or after the cutoff, that the cutoff is not after
    any evaluated customer's hidden day, that every known product was opened before the hidden
    day, and that the hidden product is not among the known ones.
    """
    items = split.train.items
    item_index = {code: i for i, code in enumerate(items)}
    earliest = {c.id: _earliest_openings(c, item_index) for c in customers}
    problems = []
    for row, customer in enumerate(customers):
        for i in split.train.matrix[row].indices:
            if earliest[customer.id][i] >= split.train.cutoff:
                problems.append(f"{customer.id}: trained on {items[i]} opened {earliest[customer.id][i]}")
    q = split.queries
    for n, cid in enumerate(q.customer_ids):
        if q.as_of[n] < split.train.cutoff:
            problems.append(f"{cid}: hidden on {q.as_of[n]}, before the cutoff")
        for i in q.known[n].indices:
            if earliest[cid][i] >= q.as_of[n]:
                problems.append(f"{cid}: knows {items[i]} from {earliest[cid][i]}")
        if q.hidden[n] in set(q.known[n].indices):
            problems.append(f"{cid}: the hidden product is known")
    return problems


def with_known_rows(split: Split) -> Split:
    """The split with each evaluated customer's training row replaced by its known products (opened
    before its hidden day, so a superset of its row before the cutoff). This is what a live system
    holds for that customer when asked as of the day before: the daemon-backed model is given it,
    and so every model is trained on it when that model runs. The hidden product is never in it."""
    matrix = split.train.matrix.tolil(copy=True)
    for n, row in enumerate(split.queries.rows):
        matrix.rows[row] = list(split.queries.known[n].indices)
        matrix.data[row] = [1.0] * len(matrix.rows[row])
    train = TrainData(matrix=matrix.tocsr(), segments=split.train.segments, items=split.train.items,
                      cutoff=split.train.cutoff)
    return Split(train, split.queries, split.candidates, split.cold_starts, split.before_cutoff, split.reacquired)


def drop_queries(queries: Queries, customer_ids: set[str]) -> Queries:
    """The queries without the given customers."""
    return _take(queries, [n for n, cid in enumerate(queries.customer_ids) if cid not in customer_ids])

