"""rapport.v1.InteractionService and GetCustomerOverview through the generated stubs.

Mirrors Tests/RapportEndToEndTests/Interactions/*.swift (shorter); each test gets a fresh daemon,
which runs on the real clock, so times are relative to now.
"""
from __future__ import annotations

import asyncio
import base64
import json
import time

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from rapport.v1 import common_pb2 as common
from rapport.v1 import customer_pb2 as cpb
from rapport.v1 import interaction_pb2 as pb
from rapport_client import AsyncClient, Client, RpcError, StatusCode

# A fresh daemon per test and the customer helpers, shared with the CustomerService tests.
from rpc_helpers import fails
from test_customers import client, create, profile  # noqa: F401  (client is a fixture)

DAY = 86_400
BATCH_ERRORS = "rapport-batch-errors-bin"


def ts(seconds: float) -> Timestamp:
    """A timestamp to the millisecond, as the daemon keeps them."""
    millis = round(seconds * 1000)
    return Timestamp(seconds=millis // 1000, nanos=(millis % 1000) * 1_000_000)


def ago(seconds: float) -> Timestamp:
    return ts(time.time() - seconds)


def interaction(customer_id, kind=pb.INTERACTION_KIND_INQUIRY, channel=common.CHANNEL_BRANCH, at=None, **fields):
    """A valid interaction of `kind` (the Swift tests' InteractionFixtures.interaction)."""
    details = {
        pb.INTERACTION_KIND_SURVEY_RESPONSE: {"survey": pb.SurveyResponse(nps_score=9, reason="quick and friendly")},
        pb.INTERACTION_KIND_COMPLAINT: {"complaint": pb.ComplaintDetails(
            category=pb.COMPLAINT_CATEGORY_FEES_AND_CHARGES, severity=pb.COMPLAINT_SEVERITY_MEDIUM)},
        pb.INTERACTION_KIND_OFFER_PRESENTED: {"product_code": "MORTGAGE_FIXED_5Y"},
    }.get(kind, {})
    values = {"customer_id": customer_id, "kind": kind, "channel": channel, "occurred_at": at or ago(60),
              "employee_id": "staff-17", "summary": "asked about savings rates", **details, **fields}
    return pb.Interaction(**values)


def without(message, field):
    """A copy of `message` with `field` cleared."""
    copy = type(message)()
    copy.CopyFrom(message)
    copy.ClearField(field)
    return copy


def survey(customer_id, score, channel=common.CHANNEL_WEB, at=None):
    return interaction(customer_id, pb.INTERACTION_KIND_SURVEY_RESPONSE, channel, at,
                       survey=pb.SurveyResponse(nps_score=score, reason="because"))


def complaint(customer_id, at=None):
    return interaction(customer_id, pb.INTERACTION_KIND_COMPLAINT, at=at)


def follow_up(customer_id, of, at=None):
    return interaction(customer_id, pb.INTERACTION_KIND_FOLLOW_UP, common.CHANNEL_PHONE, at, follow_up_of=of)


def log(c, item, request_id="") -> pb.Interaction:
    return c.interactions.log_interaction(pb.LogInteractionRequest(request_id=request_id, interaction=item))


def log_batch(c, items) -> list[pb.Interaction]:
    request = pb.LogInteractionsRequest(items=[pb.LogInteractionRequest(interaction=i) for i in items])
    return list(c.interactions.log_interactions(request).interactions)


def history(c, customer_id, **filters) -> list[pb.Interaction]:
    """Every page of ListInteractions, in order."""
    request, found = pb.ListInteractionsRequest(customer_id=customer_id, **filters), []
    while True:
        page = c.interactions.list_interactions(request)
        found += page.interactions
        if not page.next_page_token:
            return found
        request.page_token = page.next_page_token


def export(c, **request) -> list[pb.Interaction]:
    with c.interactions.export_interactions(pb.ExportInteractionsRequest(**request)) as stream:
        return list(stream)


def batch_errors(error: RpcError) -> list[pb.BatchItemError]:
    return list(pb.BatchErrors.FromString(base64.b64decode(error.trailers[BATCH_ERRORS])).errors)


def set_marketing_consent(c, customer_id, channel, granted=True):
    c.customers.set_consent(cpb.SetConsentRequest(customer_id=customer_id, decisions=[cpb.ConsentDecision(
        channel=channel, purpose=cpb.CONSENT_PURPOSE_MARKETING, granted=granted, decided_at=Timestamp(seconds=int(time.time())),
        source=cpb.CONSENT_SOURCE_BRANCH, source_detail="0042", recorded_by="staff-17")]))


# LogInteraction


def test_log_interaction_records_every_field(client):
    customer = create(client)
    sent = complaint(customer.id, at=ago(3600))
    before = time.time()
    recorded = log(client, sent)
    assert recorded.id.startswith("int_") and len(recorded.id) == 30
    assert before - 1 <= recorded.recorded_at.ToMilliseconds() / 1000 <= time.time() + 1
    expected = pb.Interaction()
    expected.CopyFrom(sent)
    expected.id = recorded.id
    expected.recorded_at.CopyFrom(recorded.recorded_at)
    assert recorded == expected
    assert history(client, customer.id) == [recorded]


INVALID = {
    "nps-11": ("interaction.survey.nps_score", lambda c: survey(c, 11)),
    "nps-negative": ("interaction.survey.nps_score", lambda c: survey(c, -1)),
    "future": ("interaction.occurred_at", lambda c: interaction(c, at=ts(time.time() + 600))),
    "id-set": ("interaction.id", lambda c: interaction(c, id="int_01JZ0000000000000000000000")),
    "no-survey": ("interaction.survey", lambda c: without(survey(c, 9), "survey")),
    "no-complaint": ("interaction.complaint", lambda c: without(complaint(c), "complaint")),
    "no-follow-up-of": ("interaction.follow_up_of", lambda c: interaction(c, pb.INTERACTION_KIND_FOLLOW_UP)),
    "channel-99": ("interaction.channel", lambda c: interaction(c, channel=99)),
}


@pytest.mark.parametrize("field, make", INVALID.values(), ids=INVALID.keys())
def test_invalid_interaction_is_refused_naming_the_field(client, field, make):
    customer = create(client)
    error = fails(StatusCode.INVALID_ARGUMENT, log, client, make(customer.id))
    assert error.message.startswith(f"{field}:"), error.message
    assert history(client, customer.id) == []


def test_unknown_customer_and_bad_follow_ups(client):
    ada, bob = create(client), create(client, profile(name="Bob Marley"))
    error = fails(StatusCode.NOT_FOUND, log, client, interaction("cus_missing"))
    assert "cus_missing" in error.message
    bobs = log(client, complaint(bob.id))
    for target in ("int_00000000000000000000000000", bobs.id):
        error = fails(StatusCode.INVALID_ARGUMENT, log, client, follow_up(ada.id, target))
        assert error.message.startswith("interaction.follow_up_of:"), error.message
    assert history(client, ada.id) == []


def test_marketing_needs_consent_on_the_channel(client):
    customer = create(client)
    marketing = interaction(customer.id, pb.INTERACTION_KIND_MARKETING_CONTACT, common.CHANNEL_SMS)
    offer = interaction(customer.id, pb.INTERACTION_KIND_OFFER_PRESENTED, common.CHANNEL_SMS)
    error = fails(StatusCode.FAILED_PRECONDITION, log, client, marketing)
    assert "CONSENT_CHANNEL_SMS" in error.message, error.message
    fails(StatusCode.FAILED_PRECONDITION, log, client, offer)
    set_marketing_consent(client, customer.id, cpb.CONSENT_CHANNEL_EMAIL)
    fails(StatusCode.FAILED_PRECONDITION, log, client, marketing)  # email consent is not SMS consent
    set_marketing_consent(client, customer.id, cpb.CONSENT_CHANNEL_SMS)
    assert log(client, marketing).kind == pb.INTERACTION_KIND_MARKETING_CONTACT
    assert log(client, offer).product_code == "MORTGAGE_FIXED_5Y"


def test_retry_with_request_id_returns_the_first_result(client):
    customer = create(client)
    first = log(client, complaint(customer.id), request_id="till-7/0001")
    assert log(client, complaint(customer.id, at=ago(5)), request_id="till-7/0001") == first
    assert history(client, customer.id) == [first]
    assert len(client.interactions.list_follow_ups(pb.ListFollowUpsRequest()).items) == 1


def test_request_id_reused_for_another_customer_or_kind_is_refused(client):
    ada, bob = create(client), create(client)
    log(client, complaint(ada.id), request_id="till-7/0002")
    for reuse in [complaint(bob.id), interaction(ada.id)]:
        error = fails(StatusCode.ALREADY_EXISTS, log, client, reuse, request_id="till-7/0002")
        assert error.message.startswith("request_id: till-7/0002 was already used"), error.message
        assert ada.id not in error.message
    assert history(client, bob.id) == []


# LogInteractions


def test_batch_is_all_or_nothing_and_the_trailer_lists_every_failure(client):
    customer = create(client)
    items = [interaction(customer.id), interaction("cus_missing"), interaction(customer.id),
             follow_up(customer.id, "int_00000000000000000000000000")]
    error = fails(StatusCode.NOT_FOUND, log_batch, client, items)
    assert error.message.startswith("2 of 4 items failed; nothing was recorded; first: items[1]"), error.message
    errors = batch_errors(error)
    assert [(e.index, StatusCode(e.code)) for e in errors] == [(1, StatusCode.NOT_FOUND), (3, StatusCode.INVALID_ARGUMENT)]
    assert errors[1].message.startswith("items[3].interaction.follow_up_of:"), errors[1].message
    assert history(client, customer.id) == []
    recorded = log_batch(client, [items[0], items[2]])
    assert [i.id for i in recorded] == sorted(i.id for i in recorded)
    assert export(client) == recorded


def test_batch_limit_default_and_configured(client, start_daemon, tmp_path):
    customer = create(client)
    error = fails(StatusCode.INVALID_ARGUMENT, log_batch, client, [interaction(customer.id)] * 1001)
    assert "limit of 1000" in error.message and BATCH_ERRORS not in error.trailers
    fails(StatusCode.INVALID_ARGUMENT, log_batch, client, [])
    config = tmp_path / "rapportd.json"
    config.write_text(json.dumps({"interactions": {"maxBatchSize": 2}}))
    small = start_daemon("--config", str(config))
    with Client(small.host, small.port, token=small.token, timeout=10) as c:
        other = create(c)
        error = fails(StatusCode.INVALID_ARGUMENT, log_batch, c, [interaction(other.id)] * 3)
        assert "limit of 2" in error.message, error.message
        assert len(log_batch(c, [interaction(other.id)] * 2)) == 2


# Reads


def test_list_is_newest_first_with_filters_pages_and_bound_tokens(client):
    customer = create(client)
    now = time.time()
    logged = log_batch(client, [
        interaction(customer.id, at=ts(now - 5 * DAY)),
        complaint(customer.id, at=ts(now - 4 * DAY)),
        survey(customer.id, 8, common.CHANNEL_SMS, at=ts(now - 3 * DAY)),
        interaction(customer.id, channel=common.CHANNEL_EMAIL, at=ts(now - 2 * DAY)),
    ])
    newest_first = [logged[i].id for i in (3, 2, 1, 0)]
    assert [i.id for i in history(client, customer.id, page_size=1)] == newest_first
    in_range = history(client, customer.id, occurred_from=ts(now - 4 * DAY), occurred_before=ts(now - 2 * DAY))
    assert [i.id for i in in_range] == [logged[2].id, logged[1].id]
    assert [i.id for i in history(client, customer.id, channels=[common.CHANNEL_EMAIL, common.CHANNEL_SMS])] == newest_first[:2]
    assert [i.id for i in history(client, customer.id, kinds=[pb.INTERACTION_KIND_COMPLAINT])] == [logged[1].id]
    page = client.interactions.list_interactions(pb.ListInteractionsRequest(customer_id=customer.id, page_size=2))
    fails(StatusCode.INVALID_ARGUMENT, client.interactions.list_interactions, pb.ListInteractionsRequest(
        customer_id=customer.id, kinds=[pb.INTERACTION_KIND_NOTE], page_token=page.next_page_token))
    fails(StatusCode.NOT_FOUND, client.interactions.list_interactions, pb.ListInteractionsRequest(customer_id="cus_missing"))
    fails(StatusCode.INVALID_ARGUMENT, client.interactions.list_interactions, pb.ListInteractionsRequest())


def test_export_streams_in_id_order_and_resumes_after_an_id(client):
    ada, bob = create(client), create(client, profile(name="Bob Marley"))
    ids = [i.id for half in (range(600), range(600, 1200))  # two batches: at most 1,000 per batch
           for i in log_batch(client, [interaction((ada, bob)[n % 2].id, at=ago(n * 60)) for n in half])]
    with client.interactions.export_interactions() as stream:
        first = [next(stream).id for _ in range(700)]
    assert first == ids[:700]  # closed early: the call is cancelled
    assert [i.id for i in export(client, after_id=first[-1])] == ids[700:]
    assert [i.id for i in export(client, after_id=ids[-1])] == []
    fails(StatusCode.INVALID_ARGUMENT, export, client, after_id="x" * 257)


def test_nps_five_promoters_three_passives_two_detractors_is_thirty(client):
    customer = create(client)
    scores = [(10, common.CHANNEL_BRANCH), (9, common.CHANNEL_BRANCH), (7, common.CHANNEL_BRANCH), (0, common.CHANNEL_BRANCH),
              (10, common.CHANNEL_EMAIL), (9, common.CHANNEL_EMAIL), (9, common.CHANNEL_EMAIL), (8, common.CHANNEL_EMAIL),
              (7, common.CHANNEL_EMAIL), (6, common.CHANNEL_EMAIL)]
    log_batch(client, [survey(customer.id, s, ch, at=ago(3600 * (n + 1))) for n, (s, ch) in enumerate(scores)]
              + [interaction(customer.id), survey(customer.id, 0, at=ago(30 * DAY))])
    request = pb.GetNpsReportRequest(occurred_from=ago(7 * DAY), occurred_before=ts(time.time()), group_by=pb.NPS_DIMENSION_CHANNEL)
    report = client.interactions.get_nps_report(request)
    overall = report.overall
    assert (overall.responses, overall.promoters, overall.passives, overall.detractors) == (10, 5, 3, 2)
    assert overall.nps == pytest.approx(30.0)
    assert [g.key for g in report.groups] == ["CHANNEL_BRANCH", "CHANNEL_EMAIL"]
    assert report.groups[0].figures.nps == pytest.approx(25.0)
    assert report.groups[1].figures.nps == pytest.approx(100 * 2 / 6)
    fails(StatusCode.INVALID_ARGUMENT, client.interactions.get_nps_report, pb.GetNpsReportRequest(occurred_from=ago(DAY)))


def test_follow_up_queue_overdue_first_until_answered(client):
    customer = create(client)
    old, detractor, _passive = log_batch(client, [
        complaint(customer.id, at=ago(2 * DAY)), survey(customer.id, 4, at=ago(3600)), survey(customer.id, 8, at=ago(60))])
    queue = client.interactions.list_follow_ups(pb.ListFollowUpsRequest(customer_id=customer.id)).items
    assert [(i.interaction.id, i.reason, i.overdue) for i in queue] == [
        (old.id, pb.FOLLOW_UP_REASON_COMPLAINT, True), (detractor.id, pb.FOLLOW_UP_REASON_DETRACTOR, False)]
    assert [i.due_at.ToMilliseconds() - i.interaction.occurred_at.ToMilliseconds() for i in queue] == [DAY * 1000] * 2
    log(client, follow_up(customer.id, old.id))
    queue = client.interactions.list_follow_ups(pb.ListFollowUpsRequest(customer_id=customer.id)).items
    assert [i.interaction.id for i in queue] == [detractor.id]


def test_customer_overview_and_deletion(client):
    customer = create(client, external_ref="CB-360")
    logged = log_batch(client, [complaint(customer.id, at=ago(3 * DAY)), survey(customer.id, 3, at=ago(2 * DAY)),
                                survey(customer.id, 10, at=ago(DAY)), interaction(customer.id, at=ago(3600))])
    overview = client.customers.get_customer_overview(cpb.GetCustomerOverviewRequest(external_ref="CB-360", recent_interactions=2))
    assert overview.customer.id == customer.id
    assert [i.id for i in overview.recent_interactions] == [logged[3].id, logged[2].id]
    assert [i.interaction.id for i in overview.open_follow_ups] == [logged[0].id, logged[1].id]
    assert overview.latest_survey == logged[2]
    assert (overview.activity.contacts_last_90_days, overview.activity.complaints_last_90_days) == (4, 1)
    # Exact instants of the first and the latest interaction, not the start of their days.
    assert overview.activity.first_contact_at == logged[0].occurred_at
    assert overview.activity.last_contact_at == logged[3].occurred_at
    fails(StatusCode.INVALID_ARGUMENT, client.customers.get_customer_overview,
          cpb.GetCustomerOverviewRequest(id=customer.id, recent_interactions=101))

    client.customers.delete_customer(cpb.DeleteCustomerRequest(id=customer.id))
    assert export(client) == []
    assert client.interactions.list_follow_ups().items == []
    fails(StatusCode.NOT_FOUND, client.customers.get_customer_overview, cpb.GetCustomerOverviewRequest(id=customer.id))


def test_async_client_logs_and_exports(fresh):
    async def main():
        async with AsyncClient.connect(fresh.host, fresh.port, token=fresh.token, timeout=10) as c:
            customer = await c.customers.create_customer(cpb.CreateCustomerRequest(profile=profile()))
            recorded = await c.interactions.log_interaction(pb.LogInteractionRequest(interaction=interaction(customer.id)))
            async with c.interactions.export_interactions() as stream:
                assert [i async for i in stream] == [recorded]
            with pytest.raises(RpcError) as info:
                await c.interactions.log_interactions(pb.LogInteractionsRequest(
                    items=[pb.LogInteractionRequest(interaction=survey(customer.id, 12))]))
            assert info.value.code == StatusCode.INVALID_ARGUMENT
            assert [e.index for e in batch_errors(info.value)] == [0]

    asyncio.run(main())
