"""rapport.v1.CustomerService through the generated stubs: every RPC, error paths included.

Mirrors Tests/RapportEndToEndTests/Customers/*.swift; each test gets a fresh daemon.
"""
from __future__ import annotations

import asyncio
import threading
import time

import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.timestamp_pb2 import Timestamp

from rapport.v1 import common_pb2 as common
from rapport.v1 import customer_pb2 as pb
from rapport_client import AsyncClient, RpcError, StatusCode
from rpc_helpers import fails


@pytest.fixture
def client(fresh_client):
    """Each test gets a daemon of its own."""
    return fresh_client


def profile(name="Ada Lovelace", assets=2_500_000, branch="0042") -> pb.CustomerProfile:
    """A valid profile (CustomerFixtures.profile in the Swift tests)."""
    return pb.CustomerProfile(
        full_name=name,
        date_of_birth=common.Date(year=1985, month=12, day=10),
        phone="+447700900123",
        email="ada@example.com",
        national_id="QQ123456C",
        address=common.Address(line1="12 St James's Square", city="London", postal_code="SW1Y 4JH", country_code="GB"),
        preferred_language="en-GB",
        preferred_channel=common.CHANNEL_MOBILE_APP,
        branch_id=branch,
        relationship_manager_id="rm-7",
        occupation="Engineer",
        annual_income=common.Money(minor_units=6_500_000, currency_code="GBP"),
        assets_under_management=common.Money(minor_units=assets, currency_code="GBP"),
        products=[pb.ProductHolding(product_code="CURRENT_ACCOUNT", opened_on=common.Date(year=2015, month=3, day=1))],
        risk_level=pb.RISK_LEVEL_MODERATE,
        kyc_status=pb.KYC_STATUS_VERIFIED,
    )


def create(client, prof=None, **request) -> pb.Customer:
    return client.customers.create_customer(pb.CreateCustomerRequest(profile=prof or profile(), **request))


def mask(*paths: str) -> FieldMask:
    return FieldMask(paths=list(paths))


# Create and get


def test_create_then_get_by_id_and_external_ref(client):
    created = create(client, external_ref="CB-1001")
    assert created.id.startswith("cus_")
    assert created.etag
    assert created.profile == profile()
    seg = created.segmentation
    assert seg.value_tier != pb.VALUE_TIER_UNSPECIFIED and seg.value_tier_reasons
    assert seg.lifecycle_stage != pb.LIFECYCLE_STAGE_UNSPECIFIED and seg.lifecycle_reasons
    assert client.customers.get_customer(pb.GetCustomerRequest(id=created.id)) == created
    assert client.customers.get_customer(pb.GetCustomerRequest(external_ref="CB-1001")) == created


def test_segments_follow_assets(client):
    rich = create(client, profile(assets=250_000_000))
    modest = create(client, pb.CustomerProfile(full_name="Sam Modest"))
    assert rich.segmentation.value_tier == pb.VALUE_TIER_PRIVATE
    assert modest.segmentation.value_tier == pb.VALUE_TIER_MASS
    assert modest.segmentation.lifecycle_stage == pb.LIFECYCLE_STAGE_ACQUISITION


def _set_raw(field, value):
    # proto3 enums are open: an unknown raw value is kept and sent as is.
    return lambda p: setattr(p, field, value)


INVALID_PROFILES = {
    "blank-name": ("profile.full_name", lambda p: setattr(p, "full_name", "  ")),
    "email": ("profile.email", lambda p: setattr(p, "email", "not-an-address")),
    "phone": ("profile.phone", lambda p: setattr(p, "phone", "0770 0900")),
    "future-birth": ("profile.date_of_birth", lambda p: p.date_of_birth.CopyFrom(common.Date(year=2999, month=1, day=1))),
    "feb-29-2023": ("profile.date_of_birth", lambda p: p.date_of_birth.CopyFrom(common.Date(year=2023, month=2, day=29))),
    "negative-income": (
        "profile.annual_income",
        lambda p: p.annual_income.CopyFrom(common.Money(minor_units=-1, currency_code="GBP")),
    ),
    "currency": (
        "profile.assets_under_management",
        lambda p: p.assets_under_management.CopyFrom(common.Money(minor_units=1, currency_code="pounds")),
    ),
    "risk-99": ("profile.risk_level", _set_raw("risk_level", 99)),
    "channel-42": ("profile.preferred_channel", _set_raw("preferred_channel", 42)),
}


@pytest.mark.parametrize("field, spoil", INVALID_PROFILES.values(), ids=INVALID_PROFILES.keys())
def test_invalid_profile_is_refused_naming_the_field(client, field, spoil):
    prof = profile()
    spoil(prof)
    error = fails(StatusCode.INVALID_ARGUMENT, create, client, prof)
    assert error.message.startswith(f"{field}:"), error.message


def test_duplicate_external_ref_is_already_exists(client):
    create(client, external_ref="CB-7")
    error = fails(StatusCode.ALREADY_EXISTS, create, client, external_ref="CB-7")
    assert "external_ref" in error.message


def test_retried_create_with_the_same_request_id_returns_the_first_customer(client):
    first = create(client, request_id="req-1")
    assert create(client, request_id="req-1").id == first.id
    assert create(client, request_id="req-2").id != first.id


def test_a_request_id_reused_for_another_person_is_refused(client):
    first = create(client, request_id="req-3")
    error = fails(StatusCode.ALREADY_EXISTS, create, client, profile(name="Somebody Else"), request_id="req-3")
    assert error.message.startswith("request_id: req-3 was already used to create a different customer"), error.message
    assert first.id not in error.message


def test_get_missing_is_not_found_and_a_key_is_required(client):
    fails(StatusCode.NOT_FOUND, client.customers.get_customer, pb.GetCustomerRequest(id="cus_nope"))
    error = fails(StatusCode.INVALID_ARGUMENT, client.customers.get_customer)
    assert error.message == "id or external_ref is required"


# Update


def test_update_changes_only_the_masked_fields(client):
    created = create(client)
    updated = client.customers.update_customer(pb.UpdateCustomerRequest(
        id=created.id,
        profile=pb.CustomerProfile(email="ada.l@example.org", full_name="ignored: not in the mask"),
        update_mask=mask("email"),
        etag=created.etag,
    ))
    assert updated.profile.email == "ada.l@example.org"
    expected = pb.CustomerProfile()
    expected.CopyFrom(created.profile)
    expected.email = "ada.l@example.org"
    assert updated.profile == expected
    assert updated.etag != created.etag
    assert updated.create_time == created.create_time


def test_update_refuses_unknown_paths_invalid_results_and_stale_etags(client):
    created = create(client)
    update = client.customers.update_customer
    unknown = fails(StatusCode.INVALID_ARGUMENT, update, pb.UpdateCustomerRequest(id=created.id, update_mask=mask("shoe_size")))
    assert "shoe_size" in unknown.message
    invalid = fails(StatusCode.INVALID_ARGUMENT, update, pb.UpdateCustomerRequest(
        id=created.id, profile=pb.CustomerProfile(email="broken"), update_mask=mask("email")))
    assert invalid.message.startswith("profile.email:"), invalid.message
    fails(StatusCode.ABORTED, update, pb.UpdateCustomerRequest(
        id=created.id, profile=pb.CustomerProfile(occupation="Poet"), update_mask=mask("occupation"), etag="stale"))
    assert client.customers.get_customer(pb.GetCustomerRequest(id=created.id)) == created


def test_of_concurrent_updaters_with_the_same_etag_exactly_one_wins(client):
    created = create(client)
    occupations = ["Poet", "Painter", "Pilot", "Potter"]
    outcomes: dict[str, StatusCode] = {}
    start = threading.Barrier(len(occupations))

    def update(occupation: str) -> None:
        start.wait()
        try:
            client.customers.update_customer(pb.UpdateCustomerRequest(
                id=created.id, profile=pb.CustomerProfile(occupation=occupation),
                update_mask=mask("occupation"), etag=created.etag))
            outcomes[occupation] = StatusCode.OK
        except RpcError as error:
            outcomes[occupation] = error.code

    threads = [threading.Thread(target=update, args=(o,)) for o in occupations]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert sorted(outcomes.values()) == sorted([StatusCode.OK] + [StatusCode.ABORTED] * 3), outcomes
    winner = next(o for o, code in outcomes.items() if code == StatusCode.OK)
    assert client.customers.get_customer(pb.GetCustomerRequest(id=created.id)).profile.occupation == winner


# Delete


def test_delete_removes_the_customer(client):
    created = create(client, external_ref="CB-9")
    delete = client.customers.delete_customer
    fails(StatusCode.ABORTED, delete, pb.DeleteCustomerRequest(id=created.id, etag="stale"))
    assert client.customers.get_customer(pb.GetCustomerRequest(id=created.id)) == created
    delete(pb.DeleteCustomerRequest(id=created.id, etag=created.etag))
    fails(StatusCode.NOT_FOUND, client.customers.get_customer, pb.GetCustomerRequest(id=created.id))
    fails(StatusCode.NOT_FOUND, client.customers.get_customer, pb.GetCustomerRequest(external_ref="CB-9"))
    fails(StatusCode.NOT_FOUND, delete, pb.DeleteCustomerRequest(id=created.id))
    create(client, external_ref="CB-9")  # the external_ref is free again


# Consent


def now(offset: int = 0) -> int:
    """Seconds since the epoch, `offset` from now: a decision may not predate the customer's record."""
    return int(time.time()) + offset


def decision(channel, purpose, granted, at, recorded_by="staff-17") -> pb.ConsentDecision:
    return pb.ConsentDecision(
        channel=channel, purpose=purpose, granted=granted, decided_at=Timestamp(seconds=at),
        source=pb.CONSENT_SOURCE_BRANCH, source_detail="0042", recorded_by=recorded_by,
    )


def test_latest_consent_per_channel_and_purpose_applies_and_history_is_kept(client):
    customer = create(client)
    set_consent, granted_at = client.customers.set_consent, now()
    set_consent(pb.SetConsentRequest(customer_id=customer.id, decisions=[
        decision(pb.CONSENT_CHANNEL_EMAIL, pb.CONSENT_PURPOSE_MARKETING, True, granted_at),
        decision(pb.CONSENT_CHANNEL_SMS, pb.CONSENT_PURPOSE_SERVICE, True, granted_at),
    ]))
    withdrawn = set_consent(pb.SetConsentRequest(customer_id=customer.id, decisions=[
        decision(pb.CONSENT_CHANNEL_EMAIL, pb.CONSENT_PURPOSE_MARKETING, False, granted_at + 120),
    ]))
    current = {(d.channel, d.purpose): d for d in withdrawn.current}
    assert len(withdrawn.current) == 2
    email = current[(pb.CONSENT_CHANNEL_EMAIL, pb.CONSENT_PURPOSE_MARKETING)]
    assert not email.granted and email.decided_at.seconds == granted_at + 120
    # Provenance is the credential's principal; the staff member the caller named is kept beside it.
    assert email.recorded_by == "local-admin" and email.acting_for == "staff-17"
    assert email.source == pb.CONSENT_SOURCE_BRANCH
    assert current[(pb.CONSENT_CHANNEL_SMS, pb.CONSENT_PURPOSE_SERVICE)].granted

    read = client.customers.get_consent(pb.GetConsentRequest(customer_id=customer.id, include_history=True))
    assert list(read.current) == list(withdrawn.current)
    assert len(read.history) == 3
    assert not read.history[-1].granted
    assert not client.customers.get_consent(pb.GetConsentRequest(customer_id=customer.id)).history


def test_consent_errors(client):
    customer = create(client)
    set_consent, post = client.customers.set_consent, (pb.CONSENT_CHANNEL_POST, pb.CONSENT_PURPOSE_MARKETING)
    fails(StatusCode.NOT_FOUND, set_consent, pb.SetConsentRequest(
        customer_id="cus_missing", decisions=[decision(*post, True, now())]))
    # No caller text is needed: the authenticated principal records the decision.
    anonymous = set_consent(pb.SetConsentRequest(
        customer_id=customer.id, decisions=[decision(*post, True, now(), recorded_by="")]))
    assert [d.recorded_by for d in anonymous.current] == ["local-admin"]
    before = fails(StatusCode.INVALID_ARGUMENT, set_consent, pb.SetConsentRequest(
        customer_id=customer.id, decisions=[decision(*post, True, now(-86_400))]))
    assert before.message.startswith("decisions[0].decided_at: must not lie before the customer was created"), before.message
    no_channel = fails(StatusCode.INVALID_ARGUMENT, set_consent, pb.SetConsentRequest(
        customer_id=customer.id,
        decisions=[decision(pb.CONSENT_CHANNEL_UNSPECIFIED, pb.CONSENT_PURPOSE_MARKETING, True, now())]))
    assert no_channel.message.startswith("decisions[0].channel"), no_channel.message
    fails(StatusCode.INVALID_ARGUMENT, set_consent, pb.SetConsentRequest(customer_id=customer.id))
    fails(StatusCode.NOT_FOUND, client.customers.get_consent, pb.GetConsentRequest(customer_id="cus_missing"))


# List


def test_pages_cover_every_match_once_in_creation_order_and_filters_apply(client):
    created = [create(client, profile(name=f"Customer {i}", branch="0001" if i % 2 == 0 else "0002")).id for i in range(7)]
    seen, token, pages = [], "", 0
    while True:
        page = client.customers.list_customers(pb.ListCustomersRequest(page_size=3, page_token=token))
        assert len(page.customers) <= 3
        seen += [c.id for c in page.customers]
        token, pages = page.next_page_token, pages + 1
        if not token:
            break
    assert seen == created
    assert pages == 3
    branch = client.customers.list_customers(pb.ListCustomersRequest(branch_id="0002"))
    assert [c.id for c in branch.customers] == created[1::2]
    assert branch.next_page_token == ""
    named = client.customers.list_customers(pb.ListCustomersRequest(name_prefix="customer 1"))
    assert [c.profile.full_name for c in named.customers] == ["Customer 1"]


def test_list_checks_tokens_and_page_sizes(client):
    for i in range(3):
        create(client, profile(name=f"P {i}"))
    list_customers = client.customers.list_customers
    first = list_customers(pb.ListCustomersRequest(page_size=1))
    assert first.next_page_token
    fails(StatusCode.INVALID_ARGUMENT, list_customers, pb.ListCustomersRequest(
        page_size=1, branch_id="0042", page_token=first.next_page_token))
    fails(StatusCode.INVALID_ARGUMENT, list_customers, pb.ListCustomersRequest(page_token="%%%not-a-token"))
    fails(StatusCode.INVALID_ARGUMENT, list_customers, pb.ListCustomersRequest(page_size=-1))
    assert len(list_customers(pb.ListCustomersRequest(page_size=1_000_000)).customers) == 3


# asyncio


def test_async_client_create_and_get_round_trip(fresh):
    async def main():
        async with AsyncClient.connect(fresh.host, fresh.port, token=fresh.token, timeout=10) as c:
            created = await c.customers.create_customer(pb.CreateCustomerRequest(external_ref="CB-async", profile=profile()))
            assert await c.customers.get_customer(pb.GetCustomerRequest(id=created.id)) == created
            assert await c.customers.get_customer(pb.GetCustomerRequest(external_ref="CB-async")) == created
            with pytest.raises(RpcError) as info:
                await c.customers.get_customer(pb.GetCustomerRequest(id="cus_nope"))
            assert info.value.code == StatusCode.NOT_FOUND

    asyncio.run(main())
