"""E-mail delivery through the SMTP server named by ``ARMTRACE_SMTP_URL``.

``ARMTRACE_SMTP_URL`` is ``smtp://[user[:password]@]host[:port][?from=ADDRESS&starttls=1]``
(or ``smtps://`` for TLS from the start). Without it, e-mail deliveries fail and are retried
with back-off, so setting it later still delivers them.

Invariants:
- The Message-ID is derived from the event id(s) and subscription, so a re-sent message after a
  crash carries the same Message-ID and mail clients can drop the repeat.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from armtrace.alerts.messages import DeliveryFailed

ENV = "ARMTRACE_SMTP_URL"
DEFAULT_FROM = "armtrace-alerts@localhost"
TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send mail."""

    host: str
    port: int
    ssl: bool
    starttls: bool
    user: str | None
    password: str | None
    sender: str


def smtp_settings(url: str | None = None) -> SmtpSettings | None:
    """Settings from ``url`` or the environment; None when no server is configured."""
    url = url if url is not None else os.environ.get(ENV)
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise DeliveryFailed(
            f"{ENV} must look like smtp://host:port?from=alerts@example.org, not {url!r}",
            permanent=True,
        )
    query = parse_qs(parts.query)
    ssl = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if ssl else 25),
        ssl=ssl,
        starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=query.get("from", [DEFAULT_FROM])[0],
    )


def message_id(event_ids: list[str], subscription_id: int) -> str:
    """A Message-ID that is the same every time the same events go to the same subscription."""
    digest = hashlib.sha256(",".join(event_ids).encode()).hexdigest()[:32]
    return f"<{digest}.{subscription_id}@armtrace.alerts>"


def send_email(
    to: str,
    subject: str,
    body: str,
    *,
    event_ids: list[str],
    subscription_id: int,
    settings: SmtpSettings | None = None,
) -> None:
    """Send one plain-text message; raises DeliveryFailed when the server refuses or is away."""
    settings = settings or smtp_settings()
    if settings is None:
        raise DeliveryFailed(f"no SMTP server configured: set {ENV}=smtp://host:port")
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id(event_ids, subscription_id)
    message["X-Armtrace-Event-Id"] = ",".join(event_ids)
    message.set_content(body)
    try:
        client: smtplib.SMTP
        if settings.ssl:
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.starttls:
                client.starttls()
            if settings.user:
                client.login(settings.user, settings.password or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryFailed(f"the SMTP server refused {to}: {exc}", permanent=True) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(
            f"sending mail via {settings.host}:{settings.port} failed: {exc!r}"
        ) from exc
