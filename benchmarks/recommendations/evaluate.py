#!/usr/bin/env python3
"""Offline evaluation of product recommendations on a book seeded by `rapportd seed` (issue 6).

    python3 benchmarks/recommendations/evaluate.py --data-dir /tmp/eval-bank [--limit N] [--json]

Hides each evaluated customer's most recent acquisition (time split, see split.py), trains every
model on the holdings before the cutoff, and prints hit-rate@1/3/7, MAP@7 and catalog coverage
side by side. See README.md in this directory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# One BLAS thread, set before numpy loads: implicit asks for it, and the machine is shared.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from bank import load_bank  # noqa: E402
from metrics import catalog_coverage, hit_rate_at_k, map_at_k  # noqa: E402
from models import FilteredModel, Model, RapportDesign, baselines, design_models  # noqa: E402
from split import (  # noqa: E402
    Queries, Split, choose_cutoff, drop_queries, leaks, make_split, sample_queries, with_known_rows,
)

K = 7


@dataclass
class Result:
    """One model's row of the table."""

    model: str
    hit_at_1: float
    hit_at_3: float
    hit_at_7: float
    map_at_7: float
    coverage: float
    customers: int
    train_seconds: float
    eval_seconds: float
    params: dict


def evaluate_model(model: Model, split: Split, queries: Queries) -> Result:
    """Fits the model on the split's training side, ranks for the queries, and scores the rankings."""
    started = time.perf_counter()
    model.fit(split.train)
    trained = time.perf_counter()
    rankings = model.recommend(queries, K).tolist()
    done = time.perf_counter()
    relevant = [{int(h)} for h in queries.hidden]
    return Result(
        model=model.name,
        hit_at_1=hit_rate_at_k(rankings, relevant, 1),
        hit_at_3=hit_rate_at_k(rankings, relevant, 3),
        hit_at_7=hit_rate_at_k(rankings, relevant, 7),
        map_at_7=map_at_k(rankings, relevant, K),
        coverage=catalog_coverage(rankings, len(split.train.items), K),
        customers=len(rankings),
        train_seconds=trained - started,
        eval_seconds=done - trained,
        params=model.params,
    )


def format_table(results: list[Result]) -> str:
    """A Markdown table, one row per model."""
    lines = [
        "| model | hit@1 | hit@3 | hit@7 | MAP@7 | coverage | customers | train s | eval s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.model} | {r.hit_at_1:.4f} | {r.hit_at_3:.4f} | {r.hit_at_7:.4f} | {r.map_at_7:.4f} "
            f"| {r.coverage:.2f} | {r.customers:,} | {r.train_seconds:.2f} | {r.eval_seconds:.2f} |"
        )
    return "\n".join(lines)


def describe_split(split: Split, n_customers: int, evaluated: int) -> dict:
    """Who was evaluated, who was left out and why, and the cutoff."""
    return {
        "customers": n_customers,
        "catalog_products": len(split.train.items),
        "candidates_with_2_holdings": split.candidates,
        "hidden_before_cutoff": split.before_cutoff,
        "cold_starts": split.cold_starts,
        "reacquired": split.reacquired,
        "eligible_queries": len(split.queries.customer_ids),
        "evaluated": evaluated,
        "cutoff": split.train.cutoff.isoformat(),
        "training_holdings": int(split.train.matrix.nnz),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="a data directory seeded by `rapportd seed`")
    parser.add_argument("--limit", type=int, default=0, help="evaluate a seeded random sample of N customers")
    parser.add_argument("--cutoff-quantile", type=float, default=0.5,
                        help="place the cutoff at this quantile of the hidden days (default 0.5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample and of the models")
    parser.add_argument("--models", default="", help="comma-separated model names (default: all)")
    parser.add_argument("--check-leaks", action="store_true", help="verify the no-leak rule on every row")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--eligible-only", action="store_true",
                        help="also run every baseline with the design's hard rules (eligibility on t_c, "
                             "decline cooldown), as MODEL+rules")
    parser.add_argument("--rapport", action="store_true",
                        help="also evaluate rapportd itself: load a fresh daemon with the training side through "
                             "its API and ask GetRecommendations as of the day before each hidden acquisition "
                             "(replay.py); every model then trains on the same rows the daemon holds")
    parser.add_argument("--rapportd", default="", help="the rapportd binary for --rapport (default: the release build)")
    parser.add_argument("--signals", action="store_true",
                        help="also run rapport-design with each signal alone (rapport-design[cf], ...)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bank = load_bank(args.data_dir, interactions=True)
    split = make_split(bank.customers, bank.catalog, choose_cutoff(bank.customers, args.cutoff_quantile))
    if args.check_leaks and (problems := leaks(bank.customers, split)):
        print("\n".join(problems[:20]), file=sys.stderr)
        return 1
    queries = sample_queries(split.queries, args.limit, args.seed) if args.limit else split.queries
    daemon_model = None
    excluded: dict[str, str] = {}
    if args.rapport:
        import replay
        split = with_known_rows(split)
        split.queries = queries
        plan = replay.plan_for(bank.customers, split)
        run = replay.run(args.rapportd or replay.default_binary(), args.data_dir / "rapport.sqlite", plan)
        excluded = run.excluded
        queries = drop_queries(queries, set(excluded))
        daemon_model = replay.RapportDaemonModel(run, split.train.items)
    wanted = {m for m in args.models.split(",") if m}
    models: list[Model] = list(baselines(args.seed))
    if args.eligible_only:
        models += [FilteredModel(m, bank) for m in baselines(args.seed)]
    models += design_models(bank, signals_alone=args.signals)
    models = [m for m in models if not wanted or m.name in wanted]
    if daemon_model is not None:
        models.append(daemon_model)
    results = [evaluate_model(m, split, queries) for m in models]
    summary = describe_split(split, len(bank.customers), len(queries.customer_ids))
    summary["dropped_holdings"] = {"undated": bank.undated_holdings, "unknown_product": bank.unknown_products}
    if args.rapport:
        reasons: dict[str, int] = {}
        for code in excluded.values():
            reasons[code] = reasons.get(code, 0) + 1
        summary["no_sales_offer_by_rule"] = reasons
        summary["training"] = "holdings before the cutoff, and each evaluated customer's known products"
    if args.json:
        print(json.dumps({"split": summary, "results": [asdict(r) for r in results]}, indent=2))
    else:
        print(json.dumps(summary))
        print(format_table(results))
        for r in results:
            print(f"{r.model}: {json.dumps(r.params, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
