"""Tests of the metrics (hand-computed cases) and of the split's no-leak rule on a toy book.

Run: python3 -m pytest benchmarks/recommendations/test_metrics.py  (no `implicit` needed).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bank import Customer, Holding  # noqa: E402
from metrics import average_precision_at_k, catalog_coverage, hit_rate_at_k, map_at_k  # noqa: E402
from models import Popularity, SegmentPopularity, rank  # noqa: E402
from split import age_band, leaks, make_split  # noqa: E402

D = dt.date


# --- metrics ---------------------------------------------------------------------------------

def test_ap_with_one_relevant_item_is_reciprocal_rank_within_k():
    assert average_precision_at_k([5, 2, 9], {5}) == 1.0
    assert average_precision_at_k([5, 2, 9], {9}) == pytest.approx(1 / 3)
    assert average_precision_at_k([0, 1, 2, 3, 4, 5, 6, 7], {6}) == pytest.approx(1 / 7)
    assert average_precision_at_k([0, 1, 2, 3, 4, 5, 6, 7], {7}) == 0.0  # rank 8 is outside @7


def test_ap_with_several_relevant_items_matches_the_santander_definition():
    # Hits at ranks 1 and 3: (1/1 + 2/3) / min(2, 7) = 0.8333...
    assert average_precision_at_k([1, 4, 2], {1, 2}) == pytest.approx((1 + 2 / 3) / 2)
    # Three relevant, one found at rank 2: (1/2) / 3.
    assert average_precision_at_k([9, 1, 8], {1, 2, 3}) == pytest.approx(1 / 6)
    # A repeated prediction does not count twice.
    assert average_precision_at_k([1, 1], {1, 2}) == pytest.approx(0.5)


def test_ap_without_relevant_items_is_zero():
    assert average_precision_at_k([1, 2], set()) == 0.0


def test_map_is_the_mean_over_customers():
    rankings = [[3, 1, 2], [1, 2, 3], [7, 8, 9]]
    relevant = [{1}, {1}, {1}]
    assert map_at_k(rankings, relevant) == pytest.approx((1 / 2 + 1 + 0) / 3)
    assert map_at_k([], []) == 0.0


def test_hit_rate_at_k():
    rankings = [[3, 1, 2], [1, 2, 3], [7, 8, 9], [5, 6, 4]]
    relevant = [{1}, {1}, {1}, {4}]
    assert hit_rate_at_k(rankings, relevant, 1) == 0.25
    assert hit_rate_at_k(rankings, relevant, 2) == 0.5
    assert hit_rate_at_k(rankings, relevant, 3) == 0.75


def test_coverage_counts_distinct_products_in_the_top_k_and_ignores_padding():
    assert catalog_coverage([[0, 1, -1], [1, 2, -1]], catalog_size=10, k=7) == 0.3
    assert catalog_coverage([[0, 1, 2], [3, 4, 5]], catalog_size=6, k=2) == pytest.approx(4 / 6)


def test_rank_excludes_known_items_breaks_ties_by_index_and_pads():
    from scipy import sparse

    scores = np.array([[0.5, 0.9, 0.5, 0.1], [1.0, 1.0, 1.0, 1.0]])
    known = sparse.csr_matrix(np.array([[0, 1, 0, 0], [1, 1, 1, 0]]))
    top = rank(scores, known, 3)
    assert top.tolist() == [[0, 2, 3], [3, -1, -1]]


# --- the split --------------------------------------------------------------------------------

ITEMS = ["A", "B", "C", "D"]


def toy_book() -> list[Customer]:
    """Four customers; the cutoff used below is 2024-01-01."""
    born = D(1980, 6, 1)
    return [
        # Hidden D on 2024-05-01; C (2024-03-01) is known at query time but not in training.
        Customer("c1", born, "mass", (Holding("A", D(2020, 1, 1)), Holding("C", D(2024, 3, 1)),
                                      Holding("D", D(2024, 5, 1)))),
        # Two products on the last day: the one listed last (B) is hidden; A is neither known nor
        # hidden, so only C is known.
        Customer("c2", born, "affluent", (Holding("C", D(2019, 1, 1)), Holding("A", D(2024, 2, 1)),
                                          Holding("B", D(2024, 2, 1)))),
        # Hidden before the cutoff: trains, not evaluated.
        Customer("c3", born, "mass", (Holding("A", D(2018, 1, 1)), Holding("B", D(2022, 1, 1)))),
        # Everything on one day: a cold start.
        Customer("c4", None, "mass", (Holding("A", D(2024, 6, 1)), Holding("B", D(2024, 6, 1)))),
    ]


def test_split_hides_the_latest_and_knows_only_the_past():
    split = make_split(toy_book(), ITEMS, D(2024, 1, 1))
    q = split.queries
    assert q.customer_ids == ["c1", "c2"]
    assert [ITEMS[i] for i in q.hidden] == ["D", "B"]
    assert [[ITEMS[i] for i in row.indices] for row in q.known] == [["A", "C"], ["C"]]
    assert q.as_of == [D(2024, 5, 1), D(2024, 2, 1)]
    assert (split.candidates, split.before_cutoff, split.cold_starts) == (4, 1, 1)


def test_training_holds_only_holdings_before_the_cutoff():
    book = toy_book()
    split = make_split(book, ITEMS, D(2024, 1, 1))
    trained = {c.id: sorted(ITEMS[i] for i in split.train.matrix[n].indices) for n, c in enumerate(book)}
    assert trained == {"c1": ["A"], "c2": ["C"], "c3": ["A", "B"], "c4": []}
    assert leaks(book, split) == []


def test_the_leak_check_catches_a_cutoff_after_a_hidden_day():
    book = toy_book()
    split = make_split(book, ITEMS, D(2024, 1, 1))
    split.train.cutoff = D(2024, 4, 1)  # now after c2's hidden day
    assert any("before the cutoff" in p for p in leaks(book, split))


def test_baselines_never_recommend_known_products_and_popularity_counts_the_past():
    split = make_split(toy_book(), ITEMS, D(2024, 1, 1))
    for model in (Popularity(), SegmentPopularity(min_segment_size=1)):
        model.fit(split.train)
        top = model.recommend(split.queries, 4)
        for n, row in enumerate(split.queries.known):
            assert not set(row.indices) & set(top[n].tolist())
    popularity = Popularity()
    popularity.fit(split.train)
    assert popularity.shares.tolist() == [0.5, 0.25, 0.25, 0.0]


def test_age_bands():
    assert age_band(D(2000, 6, 2), D(2024, 6, 1)) == "18-24"  # 23, a day before 24
    assert age_band(D(1960, 1, 1), D(2025, 1, 1)) == "65+"
    assert age_band(None, D(2025, 1, 1)) == "unknown"


# --- reading profiles -------------------------------------------------------------------------

def test_profiles_decode_from_protobuf_and_from_legacy_json():
    from bank import _profile_from_blob, _tier_from_blob, customer_pb2

    profile = customer_pb2.CustomerProfile(full_name="A")
    profile.date_of_birth.year, profile.date_of_birth.month, profile.date_of_birth.day = 1980, 6, 1
    holding = profile.products.add(product_code="CASH_ISA")
    holding.opened_on.year, holding.opened_on.month, holding.opened_on.day = 2020, 2, 29
    profile.products.add(product_code="CREDIT_CARD")  # no opening date
    expected = (D(1980, 6, 1), [("CASH_ISA", D(2020, 2, 29)), ("CREDIT_CARD", None)])
    assert _profile_from_blob(profile.SerializeToString())[:2] == expected

    legacy = (b'{"dateOfBirth":{"day":1,"month":6,"year":1980},"fullName":"A","products":['
              b'{"openedOn":{"day":29,"month":2,"year":2020},"productCode":"CASH_ISA"},'
              b'{"productCode":"CREDIT_CARD"}]}')
    assert _profile_from_blob(legacy)[:2] == expected

    segmentation = customer_pb2.Segmentation(value_tier=customer_pb2.VALUE_TIER_AFFLUENT)
    assert _tier_from_blob(segmentation.SerializeToString(), "mass") == "affluent"
    assert _tier_from_blob(b'{"valueTier":"privateBanking"}', "mass") == "privateBanking"
    assert _tier_from_blob(b"", "mass") == "mass"  # unset: the column's copy


def test_profiles_give_the_eligibility_facts():
    from bank import Money, _profile_from_blob, customer_pb2

    profile = customer_pb2.CustomerProfile(full_name="A", kyc_status=customer_pb2.KYC_STATUS_VERIFIED,
                                           risk_level=customer_pb2.RISK_LEVEL_MODERATE)
    profile.annual_income.minor_units, profile.annual_income.currency_code = 2_500_000, "GBP"
    facts = _profile_from_blob(profile.SerializeToString())[2]
    assert facts == {"income": Money(2_500_000, "GBP"), "assets": None, "kyc": "verified", "risk_level": "moderate"}
    legacy = b'{"fullName":"A","assetsUnderManagement":{"minorUnits":7,"currencyCode":"EUR"},"riskLevel":"aggressive"}'
    assert _profile_from_blob(legacy)[2] == {"income": None, "assets": Money(7, "EUR"), "kyc": None,
                                             "risk_level": "aggressive"}


# --- rapport-design: eligibility, cohorts, intent, the fast metric --------------------------------

def test_eligibility_follows_product_eligibility_swift():
    from bank import EligibilityRules, Money
    from models import is_eligible

    gbp = lambda pounds: Money(pounds * 100, "GBP")  # noqa: E731
    c = Customer("c", D(2000, 6, 15), "affluent", (), income=gbp(30_000), assets=gbp(5_000),
                 kyc="verified", risk_level="moderate")
    day = D(2018, 6, 15)  # the 18th birthday
    assert is_eligible(EligibilityRules(min_age=18), c, day)
    assert not is_eligible(EligibilityRules(min_age=18), c, D(2018, 6, 14))
    assert not is_eligible(EligibilityRules(max_age=17), c, day)
    assert is_eligible(EligibilityRules(min_income=gbp(30_000)), c, day)
    assert not is_eligible(EligibilityRules(min_income=gbp(30_001)), c, day)
    assert not is_eligible(EligibilityRules(min_income=Money(1, "EUR")), c, day)  # no conversion
    assert not is_eligible(EligibilityRules(min_assets=gbp(5_001)), c, day)
    assert is_eligible(EligibilityRules(allowed_tiers=frozenset({"affluent", "privateBanking"})), c, day)
    assert not is_eligible(EligibilityRules(allowed_tiers=frozenset({"privateBanking"})), c, day)
    assert not is_eligible(EligibilityRules(required_kyc="pending"), c, day)
    assert is_eligible(EligibilityRules(risk_rating="moderatelyConservative"), c, day)
    assert is_eligible(EligibilityRules(risk_rating="moderate"), c, day)
    assert not is_eligible(EligibilityRules(risk_rating="moderatelyAggressive"), c, day)
    unknown = Customer("u", None, "mass", ())
    assert is_eligible(EligibilityRules(), unknown, day)
    for rules in (EligibilityRules(min_age=18), EligibilityRules(min_income=gbp(1)),
                  EligibilityRules(required_kyc="verified"), EligibilityRules(risk_rating="conservative")):
        assert not is_eligible(rules, unknown, day)  # an unknown fact never passes


def test_birth_cohorts_are_five_years():
    from models import birth_cohort

    assert birth_cohort(D(1984, 4, 24)) == 1980
    assert birth_cohort(D(1985, 1, 1)) == 1985
    assert birth_cohort(D(1989, 12, 31)) == 1985
    assert birth_cohort(None) is None


def test_intent_decays_over_thirty_days_within_sixty():
    import math

    from models import intent_weight

    assert intent_weight(0) == 1.0
    assert intent_weight(30) == pytest.approx(math.exp(-1))
    assert intent_weight(59) == pytest.approx(math.exp(-59 / 30))
    assert intent_weight(60) == 0.0
    assert intent_weight(-1) == 0.0  # after the as-of day


def test_fast_metrics_agree_with_rank_and_map():
    from scipy import sparse

    from tune import fast_metrics

    rng = np.random.default_rng(3)
    scores = rng.integers(0, 4, size=(200, 9)).astype(float)  # many ties
    scores[rng.random(scores.shape) < 0.1] = -np.inf          # filtered
    known = rng.random(scores.shape) < 0.2
    hidden = rng.integers(0, 9, size=200)
    known[np.arange(200), hidden] = False
    top = rank(scores, sparse.csr_matrix(known.astype(float)), 7).tolist()
    relevant = [{int(h)} for h in hidden]
    assert fast_metrics(scores, known, hidden) == pytest.approx((map_at_k(top, relevant), hit_rate_at_k(top, relevant, 1)))
