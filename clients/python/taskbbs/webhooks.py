"""Checking a completion callback's Standard Webhooks signature
(https://www.standardwebhooks.com/): ``webhook-signature`` holds
``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` under the server's
``TASKBBS_CALLBACK_SIGNING_SECRET`` (``whsec_`` + base64 key)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping

from taskbbs_client.models import TaskCallback

# Standard Webhooks' tolerance: older or newer messages are refused as replays.
TOLERANCE_SECONDS = 5 * 60


class InvalidSignature(Exception):
    """The callback is not signed with the secret, or its timestamp is too far off."""


def verify_callback(
    secret: str,
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    now: float | None = None,
) -> TaskCallback:
    """The callback body, parsed, when ``headers`` (webhook-id, webhook-timestamp,
    webhook-signature; names in lower case) sign ``body`` (the raw bytes received)
    with ``secret``; else ``InvalidSignature``."""
    raw = body.encode() if isinstance(body, str) else body
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        msg_id, timestamp, signatures = (
            headers["webhook-id"],
            headers["webhook-timestamp"],
            headers["webhook-signature"],
        )
        sent = int(timestamp)
    except (KeyError, ValueError) as err:
        raise InvalidSignature(f"missing or malformed signature headers or secret: {err}") from None
    if abs((time.time() if now is None else now) - sent) > TOLERANCE_SECONDS:
        raise InvalidSignature("the webhook-timestamp is too far from now")
    expected = base64.b64encode(
        hmac.new(key, f"{msg_id}.{timestamp}.".encode() + raw, hashlib.sha256).digest()
    ).decode()
    for signature in signatures.split(" "):
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return TaskCallback.from_dict(json.loads(raw))
    raise InvalidSignature("no signature matches")
