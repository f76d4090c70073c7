"""Receiving Jobline's webhooks: ``verify`` checks a delivery's Standard Webhooks signature and answers its event.

Every delivery is a POST with a JSON body ``{"type": "job.completed", "timestamp": ..., "data": {"job_id", ...}}``
and three headers: ``webhook-id`` (the same on every try of one delivery: deduplicate on it), ``webhook-timestamp``
(epoch seconds of the try) and ``webhook-signature`` (``v1,<base64 HMAC-SHA256>`` of ``"{id}.{timestamp}.{body}"``
keyed with the base64-decoded secret after its ``whsec_`` prefix; several space-separated while a secret rotates).
The secret is the owner's: ``Client.webhook_secret()["secret"]``, or ``jobline webhooks secret``.

Verify the raw body as it arrived, before any JSON parsing: a re-serialized body has other bytes.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any, Iterable, Mapping, Union

from .errors import JoblineError

__all__ = ["DEFAULT_TOLERANCE", "WebhookVerificationError", "sign", "verify"]

DEFAULT_TOLERANCE = 300
"""Seconds a delivery's timestamp may be off the receiver's clock, either way: older ones may be replays."""

_PREFIX = "whsec_"

HeadersArg = Union[Mapping[str, str], Iterable[tuple[str, str]]]


class WebhookVerificationError(JoblineError):
    """The delivery is not one to trust: a header is missing, the signature does not match, or its timestamp is
    outside the tolerance. Answer it with 400 (or 401) and do nothing it asks."""


def verify(secret: str | bytes, headers: HeadersArg, body: bytes | str, tolerance: float = DEFAULT_TOLERANCE, *,
           now: float | None = None) -> dict[str, Any]:
    """Checks one delivery and returns its event, the parsed body (``type``, ``timestamp``, ``data``).

    ``secret`` is the ``whsec_...`` secret (the prefix may be left off; bytes are taken as the key itself).
    ``headers`` is the request's headers: a mapping (names in any case), anything with ``items()`` (such as
    ``http.server``'s ``self.headers``), or a list of name-value pairs;
    ``body`` is the raw body. The signature must match (one of several, space-separated, is enough) and
    ``webhook-timestamp`` be within ``tolerance`` seconds of ``now`` (default: this clock's time).
    Raises ``WebhookVerificationError`` saying what is wrong.
    """
    key = _key(secret)
    found = _headers(headers)
    msg_id = _required(found, "webhook-id")
    stamp = _required(found, "webhook-timestamp")
    signatures = _required(found, "webhook-signature")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise WebhookVerificationError(f"webhook-timestamp is not epoch seconds: {stamp!r}") from None
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError(f"The delivery is too old: its timestamp is {int(current - timestamp)} s ago, "
                                       f"more than the tolerance of {tolerance:g} s (a replay, or a skewed clock)")
    if timestamp > current + tolerance:
        raise WebhookVerificationError(f"The delivery's timestamp is {int(timestamp - current)} s in the future, more "
                                       f"than the tolerance of {tolerance:g} s (a skewed clock?)")
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    expected = _digest(key, msg_id, timestamp, raw)
    versions = set()
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        versions.add(version)
        if version != "v1":
            continue
        try:
            given = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(given, expected):
            return _event(raw)
    if "v1" not in versions:
        raise WebhookVerificationError("webhook-signature holds no v1 signature (expected 'v1,<base64>')")
    raise WebhookVerificationError("No signature matches: the body or headers were changed, or the secret is not "
                                   "the one these webhooks are signed with")


def sign(secret: str | bytes, msg_id: str, timestamp: int, body: bytes | str) -> str:
    """``v1,<base64 signature>``: what the service sends in ``webhook-signature`` (handy to test a receiver)."""
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    return "v1," + base64.b64encode(_digest(_key(secret), msg_id, int(timestamp), raw)).decode("ascii")


def _digest(key: bytes, msg_id: str, timestamp: int, body: bytes) -> bytes:
    return hmac.new(key, f"{msg_id}.{timestamp}.".encode("utf-8") + body, hashlib.sha256).digest()


def _key(secret: str | bytes) -> bytes:
    if isinstance(secret, (bytes, bytearray)):
        return bytes(secret)
    text = secret[len(_PREFIX):] if secret.startswith(_PREFIX) else secret
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("The webhook secret is 'whsec_' and base64, as webhook_secret() answers it") from None
    if not key:
        raise ValueError("The webhook secret is empty")
    return key


def _headers(headers: HeadersArg) -> dict[str, str]:
    # A mapping, or anything else with items() (http.server's message, werkzeug's Headers), or pairs.
    pairs = headers.items() if callable(getattr(headers, "items", None)) else headers
    found: dict[str, str] = {}
    for name, value in pairs:
        name = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        value = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        found.setdefault(name.lower(), value)
    return found


def _required(headers: dict[str, str], name: str) -> str:
    value = headers.get(name, "").strip()
    if not value:
        raise WebhookVerificationError(f"The request has no {name} header: not a signed webhook delivery")
    return value


def _event(raw: bytes) -> dict[str, Any]:
    try:
        event = json.loads(raw)
    except ValueError as error:
        raise WebhookVerificationError(f"The signed body is not JSON: {error}") from None
    if not isinstance(event, dict):
        raise WebhookVerificationError("The signed body is not a JSON object")
    return event
