"""Webhooks against the real service: a job's notify delivered to a receiver on loopback and verified with the SDK's
``verify``, its deliveries listed, and subscriptions made, listed and deleted (client, async client and CLI)."""
from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest

import jobline
from jobline.webhooks import WebhookVerificationError, verify
from tests.support import cli
from tests.support.waiting import wait_until
from tests.support.webhook_receiver import WebhookReceiver


@pytest.fixture
def receiver(client) -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        if os.environ.get("JOBLINE_URL"):
            # A service of JOBLINE_URL may refuse loopback destinations (JOBLINE_WEBHOOKS_ALLOWED_HOSTS unset).
            try:
                client.subscribe_webhook(receiver.url("/probe"), job_types=[f"probe-{uuid.uuid4().hex[:8]}"])
            except jobline.ProblemError as error:
                if error.status == 400:
                    pytest.skip(f"The service at JOBLINE_URL refuses a receiver on loopback: {error.detail}")
                raise
        yield receiver


def test_a_jobs_notify_is_delivered_signed_and_listed_with_its_tries(client, receiver):
    secret = client.webhook_secret()
    url = receiver.url("/job")

    job_id = client.submit("demo", {"stages": 1, "stage_ms": 50},
                           notify={"url": url, "events": ["terminal", "stage"]})["job_id"]
    client.wait(job_id, timeout=30)
    received = wait_until(lambda: len(receiver.at("/job")) >= 3 and receiver.at("/job"), timeout=20,
                          message="3 deliveries: the stage's start and end, and the job's end")

    assert secret["secret"].startswith("whsec_") and secret["owner"]
    # Tried on a pool of senders, deliveries may arrive out of order: their events' seq orders them.
    verified = sorted(((verify(secret["secret"], r.headers, r.body), r) for r in received),
                      key=lambda pair: pair[0]["data"]["seq"])
    events, received = [e for e, _ in verified], [r for _, r in verified]
    assert [e["type"] for e in events] == ["job.stage_started", "job.stage_completed", "job.completed"]
    assert {e["data"]["job_id"] for e in events} == {job_id}
    assert events[-1]["data"]["status"] == "completed"
    tampered = received[-1].body.replace(b'"completed"', b'"failed"')
    with pytest.raises(WebhookVerificationError):
        verify(secret["secret"], received[-1].headers, tampered)

    listing = wait_until(lambda: (answer := client.deliveries(job_id))["count"] == 3
                         and all(d["status"] == "delivered" for d in answer["deliveries"]) and answer,
                         timeout=10, message="3 deliveries recorded as delivered")
    assert listing["job_id"] == job_id and listing["notify_url"] == url
    by_seq = sorted(listing["deliveries"], key=lambda d: d["seq"])
    assert [d["seq"] for d in by_seq] == [e["data"]["seq"] for e in events]
    assert [d["event_type"] for d in by_seq] == [e["type"] for e in events]
    assert [d["id"] for d in by_seq] == [r.headers["webhook-id"] for r in received]
    for delivery in listing["deliveries"]:
        assert delivery["url"] == url and not delivery.get("subscription")
        [attempt] = delivery["attempts"]
        assert (attempt["attempt"], attempt["status_code"], attempt["delivered"]) == (1, 204, True)


def test_a_multipart_submits_notify_is_delivered(client, receiver, tmp_path):
    sales = tmp_path / "sales.csv"
    sales.write_text("region,amount\nnorth,10\n")
    secret = client.webhook_secret()["secret"]

    job_id = client.submit("csv-report", files=[sales], notify=receiver.url("/multipart"))["job_id"]
    [delivery] = wait_until(lambda: receiver.at("/multipart"), timeout=30, message="the job's end delivered")

    event = verify(secret, delivery.headers, delivery.body)
    assert (event["type"], event["data"]["job_id"], event["data"]["job_type"]) == ("job.completed", job_id,
                                                                                  "csv-report")


def test_a_subscription_is_made_delivered_listed_and_deleted(client, receiver):
    secret = client.webhook_secret()["secret"]
    made = client.subscribe_webhook(receiver.url("/subscribed"), events=["terminal"], job_types=["noop"])
    try:
        assert made["id"].startswith("whsub_") and made["secret"] == secret
        assert (made["events"], made["job_types"]) == (["terminal"], ["noop"])
        assert made["id"] in [w["id"] for w in client.webhooks()["webhooks"]]

        covered = client.submit("noop")["job_id"]
        [delivery] = wait_until(lambda: receiver.at("/subscribed"), timeout=30, message="the subscription's delivery")
        assert verify(secret, delivery.headers, delivery.body)["data"]["job_id"] == covered
        listed = wait_until(lambda: client.deliveries(covered)["deliveries"], timeout=10, message="the delivery listed")
        assert listed[0]["subscription"] == made["id"]
    finally:
        client.delete_webhook(made["id"])

    assert made["id"] not in [w["id"] for w in client.webhooks()["webhooks"]]
    with pytest.raises(jobline.ProblemError) as again:
        client.delete_webhook(made["id"])
    assert again.value.status == 404


def test_an_internal_destination_or_an_unknown_event_kind_is_refused(client, receiver):
    with pytest.raises(jobline.ProblemError) as refused:
        client.subscribe_webhook("http://10.1.2.3/hooks")
    assert refused.value.status == 400 and "internal" in refused.value.detail
    with pytest.raises(jobline.ProblemError) as bad_kind:
        client.submit("noop", notify={"url": receiver.url("/never"), "events": ["everything"]})
    assert bad_kind.value.status == 400 and "everything" in bad_kind.value.detail


async def test_the_async_client_lists_deliveries_and_subscriptions(service_url, receiver):
    async with jobline.AsyncClient(service_url) as client:
        job_id = (await client.submit("noop"))["job_id"]
        deliveries = await client.deliveries(job_id)
        kind = f"none-{uuid.uuid4().hex[:8]}"  # a type no job has: nothing is ever delivered for it
        made = await client.subscribe_webhook(receiver.url("/async"), job_types=kind)
        listed = (await client.webhooks())["webhooks"]
        await client.delete_webhook(made["id"])
        secret = await client.webhook_secret()

    assert (deliveries["job_id"], deliveries["count"], deliveries["notify_url"]) == (job_id, 0, None)
    assert made["job_types"] == [kind] and made["events"] == ["terminal"]
    assert made["id"] in [w["id"] for w in listed]
    assert secret["secret"] == made["secret"]


def test_the_cli_submits_with_notify_lists_deliveries_and_manages_subscriptions(service_url, receiver, tmp_path):
    env = cli.environment(service_url, tmp_path / "no-config.toml")
    url = receiver.url("/cli")

    job_id = cli.run(env, "submit", "noop", "--notify", url, "--notify-events", "terminal", "--follow",
                     "--quiet").out.strip()
    wait_until(lambda: receiver.at("/cli"), timeout=30, message="the CLI job's delivery")
    listing = wait_until(lambda: (ran := cli.run(env, "deliveries", job_id, "--json")).json()["count"] == 1
                         and ran.json()["deliveries"][0]["status"] == "delivered" and ran.json(),
                         timeout=10, message="the delivery recorded")
    table = cli.run(env, "deliveries", job_id)

    assert listing["notify_url"] == url and listing["deliveries"][0]["event_type"] == "job.completed"
    assert table.code == 0
    header, row = table.out.splitlines()
    assert header.split()[:5] == ["SEQ", "EVENT", "STATUS", "TRIES", "FOR"]
    assert "job.completed" in row and "delivered" in row and "notify" in row and " 204 in " in row

    kind = f"none-{uuid.uuid4().hex[:8]}"
    added = cli.run(env, "webhooks", "add", receiver.url("/never"), "--events", "terminal,stage",
                    "--types", kind)
    assert added.code == 0, added.err
    subscription = added.out.strip()
    assert subscription.startswith("whsub_")
    listed = cli.run(env, "webhooks", "ls")
    assert any(line.startswith(subscription) and "stage,terminal" in line and kind in line
               for line in listed.out.splitlines()), listed.out
    secret = cli.run(env, "webhooks", "secret")
    assert secret.out.strip() == cli.run(env, "webhooks", "secret", "--json").json()["secret"]
    assert secret.out.startswith("whsec_")

    assert cli.run(env, "webhooks", "rm", subscription).out.strip() == f"{subscription}: deleted"
    gone = cli.run(env, "webhooks", "rm", subscription)
    assert gone.code == 4 and subscription in gone.err
    assert subscription not in cli.run(env, "webhooks", "ls", "--json").out
