"""``jobline.webhooks.verify``: Standard Webhooks signatures and timestamps, without a service."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

import jobline
from jobline.webhooks import WebhookVerificationError, sign, verify

# The example of the Standard Webhooks specification (also what `openssl dgst -sha256 -mac HMAC` computes).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()
NOW = 1_764_000_000
BODY = json.dumps({"type": "job.completed", "timestamp": "2025-11-24T16:00:00Z",
                   "data": {"job_id": "j-1", "job_type": "noop", "seq": 4, "attempt": 1, "status": "completed"}})


def signed(msg_id: str = "dlv-1", timestamp: int = NOW, body: str = BODY, key: bytes = KEY) -> str:
    """The signature computed here, apart from the SDK: HMAC-SHA256 over ``id.timestamp.body``."""
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(signature: str, msg_id: str = "dlv-1", timestamp: int = NOW) -> dict[str, str]:
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def test_the_specifications_example_verifies():
    event = verify(SPEC_SECRET, headers(SPEC_SIGNATURE, SPEC_ID, SPEC_TIMESTAMP), SPEC_BODY, now=SPEC_TIMESTAMP + 10)

    assert event == {"test": 2432232314}
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_a_signed_delivery_answers_its_event_whatever_the_headers_case_and_body_type():
    named = {"Webhook-Id": "dlv-1", "WEBHOOK-TIMESTAMP": str(NOW), "Webhook-Signature": signed()}

    event = verify(SECRET, named, BODY.encode(), now=NOW)

    assert event["type"] == "job.completed" and event["data"]["job_id"] == "j-1"
    assert verify(SECRET, list(headers(signed()).items()), BODY, now=NOW) == event
    assert verify(SECRET.removeprefix("whsec_"), headers(signed()), BODY, now=NOW) == event
    assert jobline.webhooks.verify is verify


@pytest.mark.parametrize("body", [
    BODY.replace('"j-1"', '"j-2"'),
    BODY + " ",
    BODY.replace("completed", "failed"),
])
def test_a_tampered_body_is_refused(body):
    with pytest.raises(WebhookVerificationError, match="No signature matches"):
        verify(SECRET, headers(signed()), body, now=NOW)


def test_another_id_or_timestamp_or_secret_is_refused():
    with pytest.raises(WebhookVerificationError, match="No signature matches"):
        verify(SECRET, headers(signed(), msg_id="dlv-2"), BODY, now=NOW)
    with pytest.raises(WebhookVerificationError, match="No signature matches"):
        verify(SECRET, headers(signed(), timestamp=NOW + 1), BODY, now=NOW)
    other = "whsec_" + base64.b64encode(bytes(32)).decode()
    with pytest.raises(WebhookVerificationError, match="No signature matches"):
        verify(other, headers(signed()), BODY, now=NOW)


def test_a_stale_or_future_timestamp_is_refused_even_when_signed():
    old = NOW - 301
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(SECRET, headers(signed(timestamp=old), timestamp=old), BODY, now=NOW)
    ahead = NOW + 301
    with pytest.raises(WebhookVerificationError, match="future"):
        verify(SECRET, headers(signed(timestamp=ahead), timestamp=ahead), BODY, now=NOW)
    # Within the tolerance, and a wider tolerance lets the old one through.
    assert verify(SECRET, headers(signed(timestamp=NOW - 299), timestamp=NOW - 299), BODY, now=NOW)
    assert verify(SECRET, headers(signed(timestamp=old), timestamp=old), BODY, tolerance=600, now=NOW)


def test_one_matching_signature_among_several_is_enough():
    rotated = signed(key=bytes(32))  # signed with another secret, as while a secret rotates
    several = f"v2,{base64.b64encode(b'x' * 32).decode()} {rotated} {signed()}"

    assert verify(SECRET, headers(several), BODY, now=NOW)["data"]["seq"] == 4
    with pytest.raises(WebhookVerificationError, match="No signature matches"):
        verify(SECRET, headers(f"{rotated} v1,not-base64!"), BODY, now=NOW)
    with pytest.raises(WebhookVerificationError, match="no v1 signature"):
        verify(SECRET, headers("v1a," + signed()[3:]), BODY, now=NOW)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_named(missing):
    given = {k: v for k, v in headers(signed()).items() if k != missing}
    with pytest.raises(WebhookVerificationError, match=missing):
        verify(SECRET, given, BODY, now=NOW)


def test_a_timestamp_that_is_not_a_number_is_refused():
    with pytest.raises(WebhookVerificationError, match="epoch seconds"):
        verify(SECRET, headers(signed(), timestamp="2025-11-24T16:00:00Z"), BODY, now=NOW)  # type: ignore[arg-type]


def test_the_current_clock_is_the_default():
    import time
    stamp = int(time.time())
    assert verify(SECRET, headers(signed(timestamp=stamp), timestamp=stamp), BODY)["type"] == "job.completed"
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(SECRET, headers(signed(timestamp=1_600_000_000), timestamp=1_600_000_000), BODY)


def test_http_servers_headers_are_read_as_they_come():
    from email.message import Message
    message = Message()  # what http.server's handler has as self.headers
    for name, value in (("Webhook-Id", "dlv-1"), ("Webhook-Timestamp", str(NOW)), ("Webhook-Signature", signed())):
        message[name] = value

    assert verify(SECRET, message, BODY, now=NOW)["data"]["job_id"] == "j-1"
