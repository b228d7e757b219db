"""rapport.v1.RecommendationService's recommendations and offer outcomes through the generated
stubs: GetRecommendations, RecordOfferOutcome and GetOfferReport, error paths included. Mirrors
Tests/RapportEndToEndTests/Recommendations/*.swift (shorter); each test gets a fresh daemon on the
real clock.
"""
from __future__ import annotations

import datetime as dt
import time

import pytest

from rapport.v1 import common_pb2 as common
from rapport.v1 import customer_pb2 as cpb
from rapport.v1 import interaction_pb2 as ipb
from rapport.v1 import recommendation_pb2 as pb
from rapport_client import StatusCode
from rpc_helpers import fails
from test_customers import client, create, decision, now, profile  # noqa: F401  (client is a fixture)
from test_interactions import ago, complaint, follow_up, interaction, log, ts

CATALOG = [
    pb.Product(code="CURRENT_ACCOUNT", name="Current account", category=pb.PRODUCT_CATEGORY_CURRENT_ACCOUNT),
    pb.Product(code="CREDIT_CARD", name="Credit card", category=pb.PRODUCT_CATEGORY_CARD),
    pb.Product(code="SAVINGS", name="Easy saver", category=pb.PRODUCT_CATEGORY_DEPOSIT, decline_cooldown_days=30),
    pb.Product(code="MORTGAGE", name="Fixed-rate mortgage", category=pb.PRODUCT_CATEGORY_MORTGAGE, decline_cooldown_days=90,
               eligibility=pb.ProductEligibility(min_age=21)),
    pb.Product(code="YOUTH_SAVER", name="Youth saver", category=pb.PRODUCT_CATEGORY_DEPOSIT,
               eligibility=pb.ProductEligibility(max_age=25)),
]


def install(c) -> str:
    """The catalog, three customers holding a current account and savings, and the customer asked
    about: a current account and marketing consent by email. Returns that customer's id."""
    for product in CATALOG:
        c.recommendations.upsert_product(pb.UpsertProductRequest(product=product))
    for index in range(3):
        holder = profile(name=f"Holder {index}")
        holder.products.append(cpb.ProductHolding(product_code="SAVINGS", opened_on=common.Date(year=2018, month=5, day=1)))
        create(c, holder)
    customer = create(c)
    c.customers.set_consent(cpb.SetConsentRequest(customer_id=customer.id, decisions=[
        decision(cpb.CONSENT_CHANNEL_EMAIL, cpb.CONSENT_PURPOSE_MARKETING, True, now())]))
    return customer.id


def ask(c, customer_id, channel=common.CHANNEL_EMAIL, max_results=10, **fields) -> pb.GetRecommendationsResponse:
    return c.recommendations.get_recommendations(
        pb.GetRecommendationsRequest(customer_id=customer_id, channel=channel, max_results=max_results, **fields))


def outcome(c, customer_id, product, result, channel=common.CHANNEL_EMAIL, **fields) -> pb.RecordOfferOutcomeResponse:
    return c.recommendations.record_offer_outcome(pb.RecordOfferOutcomeRequest(
        customer_id=customer_id, product_code=product, outcome=result, channel=channel, employee_id="staff-17", **fields))


def test_get_recommendations_ranks_coheld_products_with_reasons(client):
    customer_id = install(client)
    answer = ask(client, customer_id)
    codes = [r.product_code for r in answer.recommendations]
    assert codes[0] == "SAVINGS" and set(codes) == {"SAVINGS", "CREDIT_CARD", "MORTGAGE"}
    first = answer.recommendations[0]
    assert first.kind == pb.RECOMMENDATION_KIND_CROSS_SELL and first.title == "Easy saver"
    assert [r.code for r in first.reasons] == ["NEXT_STEP", "COHOLDING"]
    assert [r.sentence for r in first.reasons] == [
        "taken next by 75% of customers who hold Current account", "held by 75% of customers who hold Current account"]
    assert answer.personalised and not answer.notices
    assert all(r.reasons for r in answer.recommendations)
    assert len(ask(client, customer_id, max_results=1).recommendations) == 1


def test_get_recommendations_rules_inquiry_complaint_consent(client):
    customer_id = install(client)
    log(client, interaction(customer_id, ipb.INTERACTION_KIND_INQUIRY, product_code="MORTGAGE", at=ago(3600)))
    assert ask(client, customer_id).recommendations[0].product_code == "MORTGAGE"
    no_consent = ask(client, customer_id, channel=common.CHANNEL_SMS)
    assert not no_consent.recommendations and [n.code for n in no_consent.notices] == ["NO_MARKETING_CONSENT"]
    raised = log(client, complaint(customer_id, at=ago(1800)))
    service = ask(client, customer_id)
    assert [r.action for r in service.recommendations] == ["COMPLAINT_FOLLOW_UP"]
    assert service.recommendations[0].follow_up_of == raised.id
    assert service.recommendations[0].kind == pb.RECOMMENDATION_KIND_SERVICE
    log(client, follow_up(customer_id, raised.id, at=ago(60)))
    assert ask(client, customer_id).recommendations[0].product_code == "MORTGAGE"


def test_get_recommendations_without_profiling_is_not_personalised(client):
    customer_id = install(client)
    client.customers.set_consent(cpb.SetConsentRequest(customer_id=customer_id, decisions=[
        decision(cpb.CONSENT_CHANNEL_EMAIL, cpb.CONSENT_PURPOSE_PROFILING, False, now())]))
    answer = ask(client, customer_id)
    assert not answer.personalised
    assert [n.code for n in answer.notices] == ["NOT_PERSONALISED_NO_PROFILING_CONSENT"]
    assert {r.code for item in answer.recommendations for r in item.reasons} <= {"POPULAR", "OFTEN_ACCEPTED", "BUSINESS_PRIORITY"}


TOMORROW = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)
BAD_REQUESTS = [
    ("customer_id", {"customer_id": ""}),
    ("max_results", {"max_results": 0}),
    ("max_results", {"max_results": 51}),
    ("channel", {"channel": common.CHANNEL_UNSPECIFIED}),
    ("channel", {"channel": 99}),
    ("category", {"category": 42}),
    ("as_of", {"as_of": common.Date(year=TOMORROW.year, month=TOMORROW.month, day=TOMORROW.day)}),
    ("as_of", {"as_of": common.Date(year=2026, month=2, day=30)}),
]


@pytest.mark.parametrize("field,change", BAD_REQUESTS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_REQUESTS)])
def test_get_recommendations_refuses_bad_requests_naming_the_field(client, field, change):
    customer_id = install(client)
    request = {"customer_id": customer_id, "channel": common.CHANNEL_EMAIL, "max_results": 10, **change}
    error = fails(StatusCode.INVALID_ARGUMENT, client.recommendations.get_recommendations, pb.GetRecommendationsRequest(**request))
    assert error.message.startswith(f"{field}: "), error.message


def test_get_recommendations_for_an_unknown_customer_is_not_found(client):
    install(client)
    fails(StatusCode.NOT_FOUND, ask, client, "cus_missing")


def test_record_offer_outcome_accept_decline_and_replay(client):
    customer_id = install(client)
    accepted = outcome(client, customer_id, "SAVINGS", pb.OFFER_OUTCOME_ACCEPTED, reason_codes=["COHOLDING"], request_id="offer-1")
    assert accepted.holding_added and accepted.interaction.kind == ipb.INTERACTION_KIND_OFFER_ACCEPTED
    replay = outcome(client, customer_id, "SAVINGS", pb.OFFER_OUTCOME_ACCEPTED, reason_codes=["COHOLDING"], request_id="offer-1")
    assert replay.interaction.id == accepted.interaction.id
    held = client.customers.get_customer(cpb.GetCustomerRequest(id=customer_id)).profile.products
    assert [p.product_code for p in held].count("SAVINGS") == 1
    declined = outcome(client, customer_id, "MORTGAGE", pb.OFFER_OUTCOME_DECLINED)
    assert not declined.holding_added and declined.interaction.kind == ipb.INTERACTION_KIND_OFFER_DECLINED
    codes = [r.product_code for r in ask(client, customer_id).recommendations]
    assert "SAVINGS" not in codes and "MORTGAGE" not in codes and "CREDIT_CARD" in codes


BAD_OUTCOMES = [
    ("customer_id", {"customer_id": ""}),
    ("product_code", {"product_code": ""}),
    ("product_code", {"product_code": "savings"}),
    ("outcome", {"outcome": pb.OFFER_OUTCOME_UNSPECIFIED}),
    ("channel", {"channel": common.CHANNEL_UNSPECIFIED}),
    ("reason_codes[0]", {"reason_codes": ["not a code"]}),
    ("reason_codes", {"reason_codes": [f"R{i}" for i in range(17)]}),
    ("request_id", {"request_id": "has space"}),
    ("occurred_at", {"occurred_at": ts(time.time() + 86_400)}),
]


@pytest.mark.parametrize("field,change", BAD_OUTCOMES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_OUTCOMES)])
def test_record_offer_outcome_refuses_bad_requests_naming_the_field(client, field, change):
    customer_id = install(client)
    request = {"customer_id": customer_id, "product_code": "SAVINGS", "outcome": pb.OFFER_OUTCOME_ACCEPTED,
               "channel": common.CHANNEL_EMAIL, **change}
    error = fails(StatusCode.INVALID_ARGUMENT, client.recommendations.record_offer_outcome, pb.RecordOfferOutcomeRequest(**request))
    assert error.message.startswith(f"{field}: "), error.message


def test_record_offer_outcome_not_found_and_consent(client):
    customer_id = install(client)
    fails(StatusCode.NOT_FOUND, outcome, client, "cus_missing", "SAVINGS", pb.OFFER_OUTCOME_ACCEPTED)
    fails(StatusCode.NOT_FOUND, outcome, client, customer_id, "NO_SUCH_PRODUCT", pb.OFFER_OUTCOME_ACCEPTED)
    fails(StatusCode.FAILED_PRECONDITION, outcome, client, customer_id, "SAVINGS", pb.OFFER_OUTCOME_PRESENTED,
          channel=common.CHANNEL_SMS)
    outcome(client, customer_id, "SAVINGS", pb.OFFER_OUTCOME_DECLINED, channel=common.CHANNEL_SMS)


def test_get_offer_report_counts_per_product_and_reason(client):
    customer_id = install(client)
    both = ["COHOLDING", "NEXT_STEP"]
    outcome(client, customer_id, "SAVINGS", pb.OFFER_OUTCOME_PRESENTED, reason_codes=both)
    outcome(client, customer_id, "SAVINGS", pb.OFFER_OUTCOME_ACCEPTED, reason_codes=both)
    outcome(client, customer_id, "MORTGAGE", pb.OFFER_OUTCOME_PRESENTED, reason_codes=["COHOLDING"])
    outcome(client, customer_id, "MORTGAGE", pb.OFFER_OUTCOME_IGNORED, reason_codes=["COHOLDING"])
    report = client.recommendations.get_offer_report(pb.GetOfferReportRequest())
    by_product = {t.key: t for t in report.by_product}
    assert list(by_product) == ["MORTGAGE", "SAVINGS"]
    assert by_product["SAVINGS"].accepted == 1 and by_product["SAVINGS"].acceptance_rate == 1
    assert by_product["MORTGAGE"].ignored == 1 and by_product["MORTGAGE"].acceptance_rate == 0
    coholding = next(t for t in report.by_reason if t.key == "COHOLDING")
    assert (coholding.presented, coholding.accepted, coholding.acceptance_rate) == (2, 1, 0.5)
    assert (report.total.presented, report.total.accepted, report.total.ignored) == (2, 1, 1)
    day = common.Date(year=2026, month=1, day=1)
    error = fails(StatusCode.INVALID_ARGUMENT, client.recommendations.get_offer_report,
                  pb.GetOfferReportRequest(from_day=day, before_day=day))
    assert error.message.startswith("before_day: ")
    error = fails(StatusCode.INVALID_ARGUMENT, client.recommendations.get_offer_report,
                  pb.GetOfferReportRequest(from_day=common.Date(year=2026, month=13, day=1)))
    assert error.message.startswith("from_day: ")
