"""rapport.v1.RecommendationService's product catalog through the generated stubs: every RPC,
error paths included. Mirrors Tests/RapportEndToEndTests/Products/*.swift; each test gets a fresh daemon.
"""
from __future__ import annotations

import asyncio

import pytest

from rapport.v1 import common_pb2 as common
from rapport.v1 import customer_pb2 as customer
from rapport.v1 import recommendation_pb2 as pb
from rapport_client import AsyncClient, StatusCode
from rpc_helpers import fails


@pytest.fixture
def client(fresh_client):
    """Each test gets a daemon of its own."""
    return fresh_client


def fund(code="FUND_BALANCED") -> pb.Product:
    """A valid wealth product (ProductFixtures.fund in the Swift tests)."""
    return pb.Product(
        code=code,
        name="Balanced Fund",
        description="60% shares, 40% bonds. Capital at risk.",
        category=pb.PRODUCT_CATEGORY_WEALTH,
        eligibility=pb.ProductEligibility(
            min_age=18,
            max_age=85,
            min_assets=common.Money(minor_units=500_000, currency_code="GBP"),
            allowed_value_tiers=[customer.VALUE_TIER_AFFLUENT, customer.VALUE_TIER_PRIVATE],
            required_kyc_status=customer.KYC_STATUS_VERIFIED,
            risk_rating=customer.RISK_LEVEL_MODERATE,
        ),
        decline_cooldown_days=120,
        business_weight=45,
    )


def plain(code, category=pb.PRODUCT_CATEGORY_CARD) -> pb.Product:
    return pb.Product(code=code, name=f"Plain {code}", category=category)


def upsert(client, product, etag="") -> pb.UpsertProductResponse:
    return client.recommendations.upsert_product(pb.UpsertProductRequest(product=product, etag=etag))


def test_upsert_product_creates_then_replaces(client):
    created = upsert(client, fund())
    assert created.created
    assert created.product.active and created.product.revision == 1 and created.product.etag
    assert created.product.eligibility == fund().eligibility
    changed = fund()
    changed.business_weight = 80
    replaced = upsert(client, changed, etag=created.product.etag)
    assert not replaced.created
    assert replaced.product.revision == 2 and replaced.product.business_weight == 80
    assert replaced.product.create_time == created.product.create_time


def test_upsert_product_with_a_stale_etag_is_aborted(client):
    first = upsert(client, fund()).product
    renamed = fund()
    renamed.name = "Renamed"
    upsert(client, renamed)
    error = fails(StatusCode.ABORTED, upsert, client, fund(), first.etag)
    assert "read the product again" in error.message
    fails(StatusCode.NOT_FOUND, upsert, client, plain("NEVER_CREATED"), "0123456789abcdef")


INVALID = [
    ("product.code", lambda p: setattr(p, "code", "fund-balanced")),
    ("product.name", lambda p: setattr(p, "name", " ")),
    ("product.description", lambda p: setattr(p, "description", "bell\x07")),
    ("product.category", lambda p: setattr(p, "category", pb.PRODUCT_CATEGORY_UNSPECIFIED)),
    ("product.eligibility.min_age", lambda p: setattr(p.eligibility, "min_age", -1)),
    ("product.eligibility.max_age", lambda p: setattr(p.eligibility, "max_age", 131)),
    ("product.eligibility.min_annual_income", lambda p: p.eligibility.min_annual_income.CopyFrom(common.Money(minor_units=-1, currency_code="GBP"))),
    ("product.eligibility.min_assets", lambda p: p.eligibility.min_assets.CopyFrom(common.Money(minor_units=1, currency_code="gbp"))),
    ("product.eligibility.allowed_value_tiers", lambda p: p.eligibility.allowed_value_tiers.append(customer.VALUE_TIER_AFFLUENT)),
    ("product.eligibility.risk_rating", lambda p: setattr(p.eligibility, "risk_rating", customer.RISK_LEVEL_UNSPECIFIED)),
    ("product.eligibility.risk_rating", lambda p: setattr(p, "category", pb.PRODUCT_CATEGORY_PERSONAL_LOAN)),
    ("product.decline_cooldown_days", lambda p: setattr(p, "decline_cooldown_days", 3651)),
    ("product.business_weight", lambda p: setattr(p, "business_weight", -1)),
]


@pytest.mark.parametrize("field,spoil", INVALID, ids=[f"{field}-{i}" for i, (field, _) in enumerate(INVALID)])
def test_upsert_product_refuses_an_invalid_product_naming_the_field(client, field, spoil):
    product = fund()
    spoil(product)
    error = fails(StatusCode.INVALID_ARGUMENT, upsert, client, product)
    assert error.message.startswith(f"{field}: "), error.message
    assert not client.recommendations.list_products(pb.ListProductsRequest(include_retired=True)).products


def test_get_product_with_history_and_errors(client):
    first = upsert(client, fund()).product
    retired = client.recommendations.retire_product(pb.RetireProductRequest(code="FUND_BALANCED"))
    read = client.recommendations.get_product(pb.GetProductRequest(code="FUND_BALANCED", include_history=True))
    assert read.product == retired
    assert list(read.history) == [first, retired]
    assert not client.recommendations.get_product(pb.GetProductRequest(code="FUND_BALANCED")).history
    fails(StatusCode.NOT_FOUND, client.recommendations.get_product, pb.GetProductRequest(code="NO_SUCH_PRODUCT"))
    error = fails(StatusCode.INVALID_ARGUMENT, client.recommendations.get_product, pb.GetProductRequest(code="lower"))
    assert error.message.startswith("code: ")


def test_retire_product_is_idempotent_and_unknown_codes_are_not_found(client):
    upsert(client, plain("CARD_GOLD"))
    retired = client.recommendations.retire_product(pb.RetireProductRequest(code="CARD_GOLD"))
    assert not retired.active and retired.HasField("retire_time") and retired.revision == 2
    assert client.recommendations.retire_product(pb.RetireProductRequest(code="CARD_GOLD")) == retired
    fails(StatusCode.NOT_FOUND, client.recommendations.retire_product, pb.RetireProductRequest(code="NO_SUCH_PRODUCT"))
    error = fails(StatusCode.INVALID_ARGUMENT, client.recommendations.retire_product, pb.RetireProductRequest(code=""))
    assert error.message.startswith("code: ")


def test_list_products_filters_and_pages(client):
    for code in ["CARD_C", "CARD_A", "CARD_B", "CARD_D"]:
        upsert(client, plain(code))
    upsert(client, plain("SAVER", pb.PRODUCT_CATEGORY_DEPOSIT))
    client.recommendations.retire_product(pb.RetireProductRequest(code="CARD_B"))
    first = client.recommendations.list_products(pb.ListProductsRequest(category=pb.PRODUCT_CATEGORY_CARD, page_size=2))
    assert [p.code for p in first.products] == ["CARD_A", "CARD_C"]
    second = client.recommendations.list_products(
        pb.ListProductsRequest(category=pb.PRODUCT_CATEGORY_CARD, page_size=2, page_token=first.next_page_token)
    )
    assert [p.code for p in second.products] == ["CARD_D"] and not second.next_page_token
    everything = client.recommendations.list_products(pb.ListProductsRequest(include_retired=True))
    assert [p.code for p in everything.products] == ["CARD_A", "CARD_B", "CARD_C", "CARD_D", "SAVER"]
    fails(
        StatusCode.INVALID_ARGUMENT,
        client.recommendations.list_products,
        pb.ListProductsRequest(category=pb.PRODUCT_CATEGORY_DEPOSIT, page_token=first.next_page_token),
    )
    fails(StatusCode.INVALID_ARGUMENT, client.recommendations.list_products, pb.ListProductsRequest(page_token="not-a-token"))
    fails(StatusCode.INVALID_ARGUMENT, client.recommendations.list_products, pb.ListProductsRequest(page_size=-1))


def test_product_catalog_through_the_async_client(fresh):
    async def main():
        async with AsyncClient.connect(fresh.host, fresh.port, token=fresh.token, timeout=10) as c:
            created = await c.recommendations.upsert_product(pb.UpsertProductRequest(product=plain("CARD_ASYNC")))
            listed = await c.recommendations.list_products(pb.ListProductsRequest())
            return created, listed

    created, listed = asyncio.run(main())
    assert created.created
    assert [p.code for p in listed.products] == ["CARD_ASYNC"]
