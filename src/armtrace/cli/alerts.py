"""armtrace alerts: subscriptions, the delivery worker, the Atom feed and the event history."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Annotated

import typer

from armtrace.alerts.feed import atom_feed, history, new_feed_key
from armtrace.alerts.subscriptions import list_subscriptions, subscribe, unsubscribe
from armtrace.alerts.worker import WorkerConfig, run_worker
from armtrace.cli.app import app, open_store, out, print_json

alerts_app = typer.Typer(
    help=(
        "Follow a weapon system, a maker, a country or a part number; hear what is new.\n\n"
        "Example: armtrace alerts subscribe --user ana weapon_system KN-23 --webhook "
        "https://hooks.example.org/armtrace && armtrace alerts worker"
    ),
    no_args_is_help=True,
)
app.add_typer(alerts_app, name="alerts")

User = Annotated[str, typer.Option("--user", help="Whose subscription (a user name).")]
Json = Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")]


@alerts_app.command("subscribe")
def subscribe_command(
    topic: Annotated[
        str,
        typer.Argument(
            help="weapon_system, manufacturer, country, part_number, item_link, "
            "first_sighting, sanctions or trace_deadline."
        ),
    ],
    values: Annotated[
        list[str] | None, typer.Argument(help="What to follow (names, ISO codes, prefixes).")
    ] = None,
    user: User = "",
    webhook: Annotated[str | None, typer.Option(help="Deliver by POST to this URL.")] = None,
    email: Annotated[str | None, typer.Option(help="Deliver by e-mail to this address.")] = None,
    secret: Annotated[
        str | None, typer.Option(help="Webhook HMAC secret (made if absent).")
    ] = None,
    digest: Annotated[str, typer.Option(help="none, hourly or daily.")] = "none",
    json_out: Json = False,
) -> None:
    """Follow something; without --webhook or --email it shows in the user's Atom feed.

    Example: armtrace alerts subscribe --user ana country UA KP --email ana@example.org
    --digest daily
    """
    channel, target = (
        ("webhook", webhook) if webhook else ("email", email) if email else ("feed", None)
    )
    with open_store() as store:
        created = subscribe(
            store, user_name=user or store.settings.actor, topic=topic, values=values or [],
            channel=channel, target=target, digest=digest, secret=secret,
            actor=store.settings.actor,
        )  # fmt: skip
    if json_out:
        print_json(created.as_json())
        return
    out.print(
        f"subscription {created.id}: {created.user_name} follows {topic} "
        f"{' '.join(created.values)} by {channel}"
    )
    if created.secret:
        out.print(f"webhook secret (shown once): {created.secret}")


@alerts_app.command("list")
def list_command(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include cancelled ones.")] = False,
    json_out: Json = False,
) -> None:
    """List subscriptions.

    Example: armtrace alerts list --user ana --json
    """
    with open_store() as store:
        found = list_subscriptions(store, user_name=user, include_cancelled=all_)
    if json_out:
        print_json([s.as_json() for s in found])
        return
    for s in found:
        state = " (cancelled)" if s.cancelled_at else ""
        target = f" -> {s.target}" if s.target else ""
        out.print(
            f"{s.id}  {s.user_name}  {s.topic} {' '.join(s.values)}  {s.channel}{target}  "
            f"digest={s.digest}{state}"
        )


@alerts_app.command("unsubscribe")
def unsubscribe_command(
    subscription_id: Annotated[int, typer.Argument(help="The subscription's id.")],
    json_out: Json = False,
) -> None:
    """Cancel a subscription (kept for the record, no longer matched).

    Example: armtrace alerts unsubscribe 3
    """
    with open_store() as store:
        cancelled = unsubscribe(store, subscription_id, actor=store.settings.actor)
    if json_out:
        print_json(cancelled.as_json())
    else:
        out.print(f"subscription {cancelled.id} cancelled")


@alerts_app.command("worker")
def worker_command(
    once: Annotated[bool, typer.Option(help="One pass, then exit.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds between polls when idle.")] = 0.2,
    retry_base: Annotated[float, typer.Option(help="First retry after this many seconds.")] = 5.0,
    lease: Annotated[float, typer.Option(help="Seconds a claimed delivery stays claimed.")] = 120.0,
    max_age: Annotated[
        float, typer.Option(help="Give up on events older than this (s).")
    ] = 259200.0,
    verbose: Annotated[bool, typer.Option(help="Log each round's work and timing.")] = False,
) -> None:
    """Fan out new events and send deliveries until stopped (Ctrl-C or SIGTERM).

    Example: ARMTRACE_SMTP_URL='smtp://mail.example.org:25?from=alerts@example.org'
    armtrace alerts worker
    """
    config = WorkerConfig(
        poll_seconds=poll, retry_base_seconds=retry_base, lease_seconds=lease,
        max_age_seconds=max_age,
    )  # fmt: skip
    if verbose:
        logging.basicConfig(format="%(asctime)s %(message)s")
        logging.getLogger("armtrace.alerts").setLevel(logging.DEBUG)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with open_store() as store:
        try:
            run_worker(store, config, stop=stop, once=once)
        except KeyboardInterrupt:
            stop.set()


@alerts_app.command("feed")
def feed_command(
    user: User = "",
    new_key: Annotated[bool, typer.Option("--new-key", help="Make a secret feed key.")] = False,
) -> None:
    """Print a user's Atom feed, or make the secret key that opens it over the web.

    Example: armtrace alerts feed --user ana > ana.atom
    """
    with open_store() as store:
        name = user or store.settings.actor
        if new_key:
            key = new_feed_key(store, name, actor=store.settings.actor)
            out.print(f"feed key for {name} (shown once): {key}")
            out.print(f"feed URL: /alerts/feed/{name}.atom?key={key}")
            return
        typer.echo(atom_feed(store, name))


@alerts_app.command("events")
def events_command(
    user: Annotated[
        str | None, typer.Option("--user", help="Only events delivered to them.")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind (e.g. item.documented).")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    json_out: Json = False,
) -> None:
    """The event history with how deliveries stand.

    Example: armtrace alerts events --kind item.documented --json
    """
    with open_store() as store:
        found = history(store, user_name=user, kind=kind, limit=limit)
    if json_out:
        print_json([h.as_json() for h in found])
        return
    for h in found:
        states = ", ".join(f"{n} {state}" for state, n in sorted(h.deliveries.items())) or "none"
        out.print(
            f"{h.event.created_at:%Y-%m-%d %H:%M:%S}  {h.event.event_id}  {h.event.kind}  "
            f"deliveries: {states}"
        )
