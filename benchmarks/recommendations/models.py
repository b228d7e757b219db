"""The models compared: baselines now, Rapport's own recommender (through the daemon) later.

A model is anything with `name`, `params`, `fit(train)` and `recommend(queries, k)`; `recommend`
returns, per evaluated customer, the k item indices it would offer, best first, never one the
customer already knows (-1 pads a shorter list). Scoring models only implement `score`; the shared
`rank` masks known products and breaks ties by item index so rankings are deterministic.

`implicit` is imported lazily, so the metrics and the split (and their tests) run without it.
Set OPENBLAS_NUM_THREADS=1 before numpy loads (evaluate.py does) or implicit warns about BLAS threads.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from split import Queries, TrainData


class Model(Protocol):
    """What the harness calls. A daemon-backed model would ask GetRecommendations in `recommend`."""

    name: str
    params: dict[str, Any]

    def fit(self, train: TrainData) -> None: ...

    def recommend(self, queries: Queries, k: int) -> np.ndarray: ...


def rank(scores: np.ndarray, known: sparse.csr_matrix, k: int) -> np.ndarray:
    """Top-k item indices per row of `scores`, known items excluded, ties by lower item index."""
    scores = np.array(scores, dtype=np.float64)
    rows, cols = known.nonzero()
    scores[rows, cols] = -np.inf
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    top = np.take_along_axis(scores, order, axis=1)
    order[~np.isfinite(top)] = -1
    return order


class ScoringModel:
    """A model that scores every item for every query; `recommend` ranks those scores."""

    name = "scoring"
    params: dict[str, Any] = {}

    def fit(self, train: TrainData) -> None:
        raise NotImplementedError

    def score(self, queries: Queries) -> np.ndarray:
        """Evaluated customers × items; higher is better."""
        raise NotImplementedError

    def recommend(self, queries: Queries, k: int) -> np.ndarray:
        return rank(self.score(queries), queries.known, k)


def _shares(matrix) -> np.ndarray:
    """Share of the matrix's rows holding each item (zeros for an empty matrix)."""
    n = matrix.shape[0]
    return np.asarray(matrix.sum(axis=0)).ravel() / n if n else np.zeros(matrix.shape[1])


class Popularity(ScoringModel):
    """Most-held products (share of all customers holding each before the cutoff)."""

    name = "popularity"

    def __init__(self) -> None:
        self.params = {}
        self.shares = np.zeros(0)

    def fit(self, train: TrainData) -> None:
        self.shares = _shares(train.matrix)

    def score(self, queries: Queries) -> np.ndarray:
        return np.tile(self.shares, (len(queries.customer_ids), 1))


class SegmentPopularity(ScoringModel):
    """Most-held products among customers of the same value tier × age band.

    Training customers are placed by their age on the cutoff, an evaluated customer by its age on
    the hidden day. A segment with fewer than `min_segment_size` training customers falls back to
    overall popularity, which also breaks ties within a segment.
    """

    name = "segment-popularity"

    def __init__(self, min_segment_size: int = 50) -> None:
        self.params = {"min_segment_size": min_segment_size, "segment": "value tier × age band"}
        self.min_segment_size = min_segment_size
        self.overall = np.zeros(0)
        self.by_segment: dict[str, np.ndarray] = {}

    def fit(self, train: TrainData) -> None:
        self.overall = _shares(train.matrix)
        members: dict[str, list[int]] = defaultdict(list)
        for row, seg in enumerate(train.segments):
            members[seg].append(row)
        self.by_segment = {
            seg: _shares(train.matrix[rows])
            for seg, rows in members.items()
            if len(rows) >= self.min_segment_size
        }

    def score(self, queries: Queries) -> np.ndarray:
        tie_break = 1e-6 * self.overall
        return np.stack([self.by_segment.get(seg, self.overall) + tie_break for seg in queries.segments])


class _ImplicitModel(ScoringModel):
    """Shared scoring for `implicit` models: ask for every item, unfiltered, and scatter the scores."""

    model: Any = None
    _recalculate_user = False  # recompute the customer's representation from its known products

    def score(self, queries: Queries) -> np.ndarray:
        n_items = queries.known.shape[1]
        ids, scores = self.model.recommend(
            queries.rows, queries.known, N=n_items,
            filter_already_liked_items=False, recalculate_user=self._recalculate_user,
        )
        # An item implicit did not return (-1 id: no similarity at all) scores below every other.
        dense = np.full((len(queries.rows), n_items), -1e30)
        rows, cols = np.nonzero(ids >= 0)
        dense[rows, ids[rows, cols]] = scores[rows, cols]
        return dense


class ImplicitALS(_ImplicitModel):
    """`implicit` ALS on the binary customer × product matrix.

    At query time the customer's factors are recomputed from its known products (opened before its
    hidden day), not taken from training, which only saw products before the cutoff.
    """

    name = "implicit-als"
    _recalculate_user = True

    def __init__(self, factors: int = 4, regularization: float = 0.01, alpha: float = 1.0,
                 iterations: int = 15, seed: int = 1) -> None:
        self.params = {"factors": factors, "regularization": regularization, "alpha": alpha,
                       "iterations": iterations, "random_state": seed, "num_threads": 1}

    def fit(self, train: TrainData) -> None:
        from implicit.cpu.als import AlternatingLeastSquares

        self.model = AlternatingLeastSquares(**self.params, calculate_training_loss=False)
        self.model.fit(train.matrix, show_progress=False)


class ImplicitCosineKNN(_ImplicitModel):
    """`implicit` item-item cosine kNN: score = sum of cosine similarities to the known products."""

    name = "implicit-cosine-knn"

    def __init__(self, neighbours: int = 26) -> None:
        self.params = {"K": neighbours, "num_threads": 1}

    def fit(self, train: TrainData) -> None:
        from implicit.nearest_neighbours import CosineRecommender

        self.model = CosineRecommender(**self.params)
        with warnings.catch_warnings():  # implicit converts its own normalised matrix to CSR
            warnings.filterwarnings("ignore", message="Method expects CSR input")
            self.model.fit(train.matrix, show_progress=False)


def baselines(seed: int = 1) -> list[ScoringModel]:
    """Every baseline, in the order the table prints them."""
    return [Popularity(), SegmentPopularity(), ImplicitALS(seed=seed), ImplicitCosineKNN()]
