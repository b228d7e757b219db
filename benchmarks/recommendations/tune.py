#!/usr/bin/env python3
"""Tunes rapport-design's weights on a book (not the evaluated seed): coordinate search on MAP@7.

    python3 benchmarks/recommendations/tune.py --data-dir /tmp/eval2-bank [--variant key=value ...]

Computes every signal once, then scores weight vectors with `fast_map` (the same ranking as
`models.rank`: known products and filtered ones out, ties by lower item index).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from bank import load_bank  # noqa: E402
from models import DESIGN_VARIANTS, RapportDesign, combine  # noqa: E402
from split import choose_cutoff, make_split  # noqa: E402


def fast_metrics(scores: np.ndarray, known: np.ndarray, hidden: np.ndarray, k: int = 7) -> tuple[float, float]:
    """(MAP@k, hit@1) of `scores` with one hidden item per row, ranked as `models.rank` ranks."""
    scores = np.where(known, -np.inf, scores)
    rows = np.arange(len(hidden))
    target = scores[rows, hidden]
    idx = np.arange(scores.shape[1])[None, :]
    ahead = (scores > target[:, None]) | ((scores == target[:, None]) & (idx < hidden[:, None]))
    position = 1 + ahead.sum(axis=1)
    ok = np.isfinite(target) & (position <= k)
    ap = np.where(ok, 1.0 / position, 0.0)
    return float(ap.mean()), float((ok & (position == 1)).mean())


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--variant", action="append", default=[], help="key=value (JSON value) of DESIGN_VARIANTS")
    p.add_argument("--signals", default="cf,flow,seg,intent,pop,biz",
                   help="comma-separated signals to weight; several sets separated by ';'")
    p.add_argument("--skip-alone", action="store_true", help="do not print each signal alone")
    args = p.parse_args()
    started = time.perf_counter()
    bank = load_bank(args.data_dir, interactions=True)
    split = make_split(bank.customers, bank.catalog, choose_cutoff(bank.customers, 0.5))
    q = split.queries
    variants = {kv.split("=", 1)[0]: json.loads(kv.split("=", 1)[1]) for kv in args.variant}
    model = RapportDesign(bank, **variants)
    model.fit(split.train)
    sig = model.signals(q)
    allowed = model.allowed(q)
    known = q.known.toarray().astype(bool)
    print(json.dumps(model.variants))
    print(f"loaded and computed in {time.perf_counter() - started:.1f} s; {len(q.customer_ids)} queries", flush=True)

    def evaluate(w: dict[str, float]) -> tuple[float, float]:
        return fast_metrics(combine(sig, w, allowed, model.variants["normalise"]), known, q.hidden)

    if not args.skip_alone:
        for s in sorted(k for k in sig if k != "gap_days"):
            print(f"alone {s}: MAP@7 {evaluate({s: 1.0, 'pop': 1.0 if s == 'pop' else 1e-6})[0]:.4f}", flush=True)
    for names in (group.split(",") for group in args.signals.split(";")):
        search(names, evaluate)
    return 0


def search(names: list[str], evaluate) -> None:
    """Coordinate search of the weights of `names` (the first fixed at 1) on MAP@7."""
    w = {s: (0.0 if s in ("pop", "biz") else 1.0) for s in names}
    best = evaluate(w)[0]
    grid = [0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 8, 13, 20, 50, 100]
    for sweep in range(6):
        improved = False
        for s in names:
            if s == names[0]:
                continue  # fixed at 1: the scale
            for value in grid:
                trial = dict(w, **{s: value})
                score = evaluate(trial)[0]
                if score > best + 1e-6:
                    best, w, improved = score, trial, True
        print(f"sweep {sweep}: {best:.4f} {w}", flush=True)
        if not improved:
            break
    print("best", json.dumps({"map": round(best, 4), "hit1": round(evaluate(w)[1], 4), "weights": w}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
