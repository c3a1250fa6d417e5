"""Webhook delivery: an HTTP POST of JSON, signed with the subscription's shared secret.

Invariants:
- The signature is HMAC-SHA256 over ``"{timestamp}." + body`` with the subscription's secret,
  sent as ``X-Armtrace-Signature: sha256=<hex>`` beside ``X-Armtrace-Timestamp`` (Unix seconds),
  so a receiver can reject forged and replayed posts (``verify_signature``).
- ``X-Armtrace-Event-Id`` (and each event's ``id`` in the body) is stable across retries:
  a receiver that keeps the ids it has seen drops repeats.
- A 2xx answer is success; 408, 429 and 5xx and network errors are retried; other 4xx are not.
- A target that resolves to a loopback, private, link-local, multicast or reserved address is
  refused (a permanent failure) unless ``ARMTRACE_WEBHOOK_ALLOW_PRIVATE=1``: whoever may create a
  subscription must not be able to make the server post to its own network (SSRF). The
  connection goes to the address that was checked, so a second DNS answer cannot swap it.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

from armtrace.alerts.messages import DeliveryFailed

SIGNATURE_HEADER = "X-Armtrace-Signature"
TIMESTAMP_HEADER = "X-Armtrace-Timestamp"
EVENT_HEADER = "X-Armtrace-Event-Id"
TIMEOUT_SECONDS = 10.0
_RETRYABLE_4XX = (408, 425, 429)
ALLOW_PRIVATE_ENV = "ARMTRACE_WEBHOOK_ALLOW_PRIVATE"


class TargetRefused(DeliveryFailed):
    """The target's address is one armtrace does not post to (a permanent failure)."""


def private_allowed() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")


def public_address(host: str, port: int) -> tuple[socket.AddressFamily, str]:
    """The first address ``host`` resolves to, when every address it resolves to is public.

    All answers are checked, not only the first, so a name with one public and one internal
    address is refused whichever the resolver would hand out next time.
    """
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise DeliveryFailed(f"cannot resolve webhook host {host!r}: {exc}") from exc
    allow = private_allowed()
    for _family, _type, _proto, _name, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        mapped = getattr(address, "ipv4_mapped", None)
        checked = mapped if mapped is not None else address
        if not allow and not checked.is_global:
            raise TargetRefused(
                f"webhook host {host!r} resolves to {address}, a loopback, private or reserved "
                f"address; armtrace posts to public addresses only (set {ALLOW_PRIVATE_ENV}=1 "
                "to allow internal receivers)",
                permanent=True,
            )
    family, _type, _proto, _name, sockaddr = answers[0]
    return family, str(sockaddr[0])


class _CheckedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address ``public_address`` checked; the Host header keeps the name."""

    def connect(self) -> None:
        _family, address = public_address(self.host, self.port)
        self.sock = socket.create_connection((address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    """As ``_CheckedHTTPConnection``; the certificate is still checked against the host name."""

    def connect(self) -> None:
        _family, address = public_address(self.host, self.port)
        sock = socket.create_connection((address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


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
            except TargetRefused:
                conn.close()
                self._forget(parts.scheme, parts.netloc)
                raise
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
            cls = _CheckedHTTPSConnection if scheme == "https" else _CheckedHTTPConnection
            pool[key] = cls(netloc, timeout=self.timeout)
        return pool[key]

    def _forget(self, scheme: str, netloc: str) -> None:
        self._pool().pop((scheme, netloc), None)

    def _pool(self) -> dict[tuple[str, str], http.client.HTTPConnection]:
        pool = getattr(self._local, "pool", None)
        if pool is None:
            pool = self._local.pool = {}
        return pool
