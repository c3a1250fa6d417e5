"""Webhook delivery: an HTTP POST of JSON, signed with the subscription's shared secret.

Invariants:
- The signature is HMAC-SHA256 over ``"{timestamp}." + body`` with the subscription's secret,
  sent as ``X-Armtrace-Signature: sha256=<hex>`` beside ``X-Armtrace-Timestamp`` (Unix seconds),
  so a receiver can reject forged and replayed posts (``verify_signature``).
- ``X-Armtrace-Event-Id`` (and each event's ``id`` in the body) is stable across retries:
  a receiver that keeps the ids it has seen drops repeats.
- A 2xx answer is success; 408, 429 and 5xx and network errors are retried; other 4xx are not.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import threading
import time
from urllib.parse import urlsplit

from armtrace.alerts.messages import DeliveryFailed

SIGNATURE_HEADER = "X-Armtrace-Signature"
TIMESTAMP_HEADER = "X-Armtrace-Timestamp"
EVENT_HEADER = "X-Armtrace-Event-Id"
TIMEOUT_SECONDS = 10.0
_RETRYABLE_4XX = (408, 425, 429)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for a body sent at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> bool:
    """True when the signature matches and the timestamp is recent (for receivers)."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - sent) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)


class WebhookSender:
    """Posts bodies over kept-alive connections, one set per thread."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self._local = threading.local()

    def post(self, url: str, body: bytes, secret: str, event_ids: list[str]) -> None:
        """POST one signed body; raises DeliveryFailed on anything but a 2xx answer."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "armtrace-alerts",
            EVENT_HEADER: ",".join(event_ids),
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        }
        # A kept-alive connection the server closed fails on first use: retry once on a new one.
        for fresh in (False, True):
            conn = self._connection(parts.scheme, parts.netloc, fresh)
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                self._forget(parts.scheme, parts.netloc)
                if fresh:
                    raise DeliveryFailed(f"POST {url} failed: {exc!r}") from exc
                continue
            if response.will_close:
                self._forget(parts.scheme, parts.netloc)
            status = response.status
            if 200 <= status < 300:
                return
            permanent = 400 <= status < 500 and status not in _RETRYABLE_4XX
            raise DeliveryFailed(f"POST {url} answered HTTP {status}", permanent=permanent)

    def _connection(self, scheme: str, netloc: str, fresh: bool) -> http.client.HTTPConnection:
        pool: dict[tuple[str, str], http.client.HTTPConnection] = self._pool()
        key = (scheme, netloc)
        if fresh or key not in pool:
            cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            pool[key] = cls(netloc, timeout=self.timeout)
        return pool[key]

    def _forget(self, scheme: str, netloc: str) -> None:
        self._pool().pop((scheme, netloc), None)

    def _pool(self) -> dict[tuple[str, str], http.client.HTTPConnection]:
        pool = getattr(self._local, "pool", None)
        if pool is None:
            pool = self._local.pool = {}
        return pool
