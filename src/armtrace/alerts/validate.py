"""Checks on a new subscription before it is stored: topic, values, channel, target, digest."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from armtrace.alerts.matching import KIND_TOPICS, MIN_PREFIX, TOPICS
from armtrace.alerts.outbox import AlertError
from armtrace.markings.readings import part_key
from armtrace.refdata.countries import is_country_code

CHANNELS = ("webhook", "email", "feed")
DIGESTS = ("none", "hourly", "daily")


def validated(
    user_name: str,
    topic: str,
    values: Sequence[str],
    channel: str,
    target: str | None,
    digest: str,
) -> tuple[str, ...]:
    if not user_name or not user_name.strip():
        raise AlertError("a subscription needs a user name")
    if topic not in TOPICS:
        raise AlertError(f"unknown topic {topic!r}: use one of {', '.join(TOPICS)}")
    clean = tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if topic in KIND_TOPICS and clean:
        raise AlertError(f"topic {topic!r} follows every such event and takes no values")
    if topic not in KIND_TOPICS and not clean:
        raise AlertError(f"topic {topic!r} needs at least one value (what to follow)")
    if topic == "country":
        clean = tuple(dict.fromkeys(v.upper() for v in clean))
        bad = [v for v in clean if not is_country_code(v)]
        if bad:
            raise AlertError(f"not ISO 3166 alpha-2 country codes: {', '.join(bad)} (e.g. UA, KP)")
    if topic == "part_number":
        short = [v for v in clean if len(part_key(v)) < MIN_PREFIX]
        if short:
            raise AlertError(
                f"part-number prefix(es) {', '.join(short)} are too short: "
                f"give at least {MIN_PREFIX} letters or digits"
            )
    _check_channel(channel, target, digest)
    return clean


def _check_channel(channel: str, target: str | None, digest: str) -> None:
    if channel not in CHANNELS:
        raise AlertError(f"unknown channel {channel!r}: use one of {', '.join(CHANNELS)}")
    if digest not in DIGESTS:
        raise AlertError(f"unknown digest {digest!r}: use one of {', '.join(DIGESTS)}")
    if channel == "webhook":
        parts = urlsplit(target or "")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise AlertError(f"a webhook needs an http(s) URL as target, not {target!r}")
    elif channel == "email":
        if not target or "@" not in target or any(ch.isspace() for ch in target):
            raise AlertError(f"an e-mail subscription needs an address as target, not {target!r}")
    else:
        if target:
            raise AlertError("a feed subscription takes no target: it shows in the user's feed")
        if digest != "none":
            raise AlertError("a feed is read when the reader asks; digests are for webhook/email")
