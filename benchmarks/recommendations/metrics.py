"""Ranking metrics: hit-rate@k, MAP@k (the Santander product-recommendation definition), coverage.

A ranking is a sequence of item indices, best first; -1 pads a ranking shorter than k.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence


def average_precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int = 7) -> float:
    """AP@k as in the Santander Product Recommendation competition (Kaggle's `apk`).

    Sum over positions i ≤ k holding a relevant item (not repeated earlier) of precision@i,
    divided by min(|relevant|, k); 0 when nothing is relevant. With one relevant item this is
    1 / its rank when the rank is at most k, else 0.
    """
    if not relevant:
        return 0.0
    hits, total, seen = 0, 0.0, set()
    for position, item in enumerate(ranked[:k], start=1):
        if item in relevant and item not in seen:
            hits += 1
            total += hits / position
        seen.add(item)
    return total / min(len(relevant), k)


def map_at_k(rankings: Sequence[Sequence[int]], relevant: Sequence[Collection[int]], k: int = 7) -> float:
    """MAP@k: the mean of AP@k over customers (0 for an empty list of customers)."""
    if not rankings:
        return 0.0
    return sum(average_precision_at_k(r, rel, k) for r, rel in zip(rankings, relevant, strict=True)) / len(rankings)


def hit_rate_at_k(rankings: Sequence[Sequence[int]], relevant: Sequence[Collection[int]], k: int) -> float:
    """Share of customers with at least one relevant item in their top k."""
    if not rankings:
        return 0.0
    hits = sum(any(item in rel for item in r[:k]) for r, rel in zip(rankings, relevant, strict=True))
    return hits / len(rankings)


def catalog_coverage(rankings: Sequence[Sequence[int]], catalog_size: int, k: int = 7) -> float:
    """Share of the catalog's products that appear in anyone's top k."""
    shown = {item for r in rankings for item in r[:k] if item >= 0}
    return len(shown) / catalog_size if catalog_size else 0.0
