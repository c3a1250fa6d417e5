"""armtrace trace: trace requests, answers, disclosure terms, custody chains and letters."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from armtrace.cli.app import app, open_store, out, print_json
from armtrace.tracing import transitions
from armtrace.tracing.chains import item_chains
from armtrace.tracing.custody import (
    TransferSpec,
    add_transfer,
    chain_companies,
    mark_diversion,
    unmark_diversion,
)
from armtrace.tracing.diagram import render_chain_svg
from armtrace.tracing.disclosure import load_policy, redact_chain, set_terms
from armtrace.tracing.letter import write_letter
from armtrace.tracing.model import TraceRequest
from armtrace.tracing.requests import Recipient, create_request, list_requests
from armtrace.tracing.views import request_for

trace_app = typer.Typer(help="Trace requests to makers and distributors, and custody chains.")
request_app = typer.Typer(help="Create a trace request and move it through its states.")
transfer_app = typer.Typer(help="Custody transfers read from answers and documents.")
diversion_app = typer.Typer(help="An analyst's point of diversion in a custody chain.")
app.add_typer(trace_app, name="trace")
trace_app.add_typer(request_app, name="request")
trace_app.add_typer(transfer_app, name="transfer")
trace_app.add_typer(diversion_app, name="diversion")

Day = Annotated[
    datetime.datetime | None,
    typer.Option("--on", formats=["%Y-%m-%d"], help="When it happened (default: today)."),
]
AsOf = Annotated[
    datetime.datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Judge deadlines on this day."),
]
Json = Annotated[bool, typer.Option("--json", help="One JSON document.")]
Ref = Annotated[str, typer.Argument(help="The request's key (TR-0001) or numeric id.")]


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value else None


def _show(request: TraceRequest, as_json: bool) -> None:
    today = datetime.date.today()
    if as_json:
        print_json(request.as_json(today))
        return
    out.print(request.describe(today), highlight=False)


@request_app.command("create")
def create(
    to: Annotated[str, typer.Option("--to", help="Recipient's name.")],
    kind: Annotated[
        str, typer.Option(help="manufacturer, distributor, exporter or licensing_authority.")
    ],
    item: Annotated[str | None, typer.Option(help="The item the components belong to.")] = None,
    component: Annotated[list[str] | None, typer.Option(help="A component key (repeat).")] = None,
    component_id: Annotated[list[int] | None, typer.Option(help="A component id (repeat).")] = None,
    country: Annotated[str | None, typer.Option(help="Recipient's country (ISO alpha-2).")] = None,
    maker_id: Annotated[str | None, typer.Option(help="Registry id if it is a maker.")] = None,
    question: Annotated[
        list[str] | None, typer.Option(help="A question (repeat); default: the standard three.")
    ] = None,
    key: Annotated[str | None, typer.Option(help="Key to use instead of TR-NNNN.")] = None,
    as_json: Json = False,
) -> None:
    """Draft a trace request about one or more components.

    Example: armtrace trace request create --to "Texas Instruments Incorporated" --kind
    manufacturer --country US --item EX-MSL-001 --component '#1' --component '#2'
    """
    with open_store() as store:
        request = create_request(
            store, Recipient(to, kind, country, maker_id), actor=store.settings.actor,
            component_ids=component_id or [], item_key=item, component_keys=component or [],
            questions=question or [], key=key,
        )  # fmt: skip
    _show(request, as_json)


@request_app.command("send")
def send(ref: Ref, on: Day = None, as_json: Json = False) -> None:
    """Mark a draft as sent; the 28-day answer deadline starts.

    Example: armtrace trace request send TR-0001 --on 2024-02-05
    """
    with open_store() as store:
        _show(transitions.send(store, ref, actor=store.settings.actor, on=_day(on)), as_json)


@request_app.command("acknowledge")
def acknowledge(ref: Ref, on: Day = None, as_json: Json = False) -> None:
    """Record that the recipient confirmed receipt.

    Example: armtrace trace request acknowledge TR-0001 --on 2024-02-09
    """
    with open_store() as store:
        _show(transitions.acknowledge(store, ref, actor=store.settings.actor, on=_day(on)), as_json)


@request_app.command("answer")
def answer(
    ref: Ref,
    text: Annotated[str, typer.Option(help="What the recipient said.")],
    document: Annotated[
        Path | None, typer.Option(help="The answer's document (stored as evidence).")
    ] = None,
    on: Day = None,
    as_json: Json = False,
) -> None:
    """Record an answer (and its document).

    Example: armtrace trace request answer TR-0001 --text "Sold to X on 2023-06-02"
    --document reply.pdf --on 2024-02-27
    """
    with open_store() as store:
        actor = store.settings.actor
        done = transitions.answer(
            store, ref, text=text, document=document, actor=actor, on=_day(on)
        )
    _show(done, as_json)


@request_app.command("refuse")
def refuse(
    ref: Ref,
    text: Annotated[str, typer.Option(help="What the recipient said.")] = "",
    on: Day = None,
    as_json: Json = False,
) -> None:
    """Record that the recipient declined to answer.

    Example: armtrace trace request refuse TR-0002 --text "We do not comment on customers."
    """
    with open_store() as store:
        done = transitions.refuse(store, ref, text=text, actor=store.settings.actor, on=_day(on))
    _show(done, as_json)


@request_app.command("reply")
def reply(
    ref: Ref,
    summary: Annotated[
        str | None, typer.Option(help="Send this summary for the 28-day right of reply.")
    ] = None,
    received: Annotated[str | None, typer.Option(help="Record the recipient's reply.")] = None,
    lapsed: Annotated[bool, typer.Option(help="Record that the 28 days ran out.")] = False,
    on: Day = None,
    as_json: Json = False,
) -> None:
    """The right of reply: send the summary, record the reply, or record the lapse (one of them).

    Example: armtrace trace request reply TR-0001 --summary "The maker sold the lot to ..."
    """
    if sum((summary is not None, received is not None, lapsed)) != 1:
        raise typer.BadParameter("give exactly one of --summary, --received or --lapsed")
    with open_store() as store:
        actor = store.settings.actor
        if summary is not None:
            done = transitions.send_for_reply(store, ref, summary=summary, actor=actor, on=_day(on))
        elif received is not None:
            done = transitions.record_reply(store, ref, text=received, actor=actor, on=_day(on))
        else:
            done = transitions.lapse_reply(store, ref, actor=actor, today=_day(on))
    _show(done, as_json)


@request_app.command("show")
def show(
    ref: Ref,
    public: Annotated[bool, typer.Option(help="As the public may see it.")] = False,
    as_of: AsOf = None,
) -> None:
    """One request as JSON, deadlines judged today (or --as-of).

    Example: armtrace trace request show TR-0001 --public
    """
    today = _day(as_of) or datetime.date.today()
    with open_store() as store:
        shown = request_for(store, ref, audience="public" if public else "team", today=today)
    print_json(shown.as_json(today))


@trace_app.command("list")
def list_(
    overdue: Annotated[bool, typer.Option(help="Only requests past their 28 days.")] = False,
    state: Annotated[str | None, typer.Option(help="Only requests in this state.")] = None,
    item: Annotated[str | None, typer.Option(help="Only requests about this item.")] = None,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """Trace requests with their states and deadlines.

    Example: armtrace trace list --overdue --json
    """
    today = _day(as_of) or datetime.date.today()
    with open_store() as store:
        found = list_requests(store, today=today, overdue_only=overdue, state=state, item_key=item)
    if as_json:
        print_json([r.as_json(today) for r in found])
        return
    table = Table("request", "to", "state", "answer due", "right of reply")
    table.columns[0].no_wrap = True
    for r in found:
        state = r.state + (" [bold red]OVERDUE[/]" if r.overdue(today) else "")
        key = r.key + (" [red](exercise)[/]" if r.exercise else "")
        due, reply = str(r.answer_due or ""), r.reply_status(today) or ""
        table.add_row(key, r.recipient_name, state, due, reply)
    out.print(table)


@trace_app.command("chain")
def chain(
    item: Annotated[str, typer.Argument(help="The item id.")],
    public: Annotated[bool, typer.Option(help="Apply disclosure terms for the public.")] = False,
    svg: Annotated[
        Path | None, typer.Option(help="Also write the first chain as SVG here.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Custody chains of an item's components, with the point of diversion.

    Example: armtrace trace chain EX-MSL-001 --json
    """
    with open_store() as store:
        chains = item_chains(store, item)
        if public:
            policy = load_policy(store, audience="public")
            chains = [redact_chain(ch, policy) for ch in chains]
    if svg is not None and chains:
        svg.write_text(render_chain_svg(chains[0]), encoding="utf-8")
    if as_json:
        print_json({"item": item, "chains": [ch.as_json() for ch in chains]})
        return
    if not chains:
        out.print(f"{item}: no custody transfers recorded")
    for ch in chains:
        label = "[red]EXERCISE[/] " if ch.exercise else ""
        out.print(
            f"{label}{ch.key} ({', '.join(ch.component_keys)}): "
            + " → ".join(n.name for n in ch.nodes),
            highlight=False,
        )
        if ch.diversion:
            out.print(
                f"  point of diversion ({ch.diversion.by}): last legitimate custodian "
                f"{ch.diversion.last_legitimate_custodian}; {ch.diversion.why}",
                highlight=False,
            )


@trace_app.command("letter")
def letter(
    ref: Ref,
    output: Annotated[Path, typer.Option("-o", "--output", help="letter.pdf or letter.html")],
    sender: Annotated[str | None, typer.Option(help="Who signs the letter.")] = None,
) -> None:
    """Write the request letter with markings, photos, context, questions and deadline.

    Example: armtrace trace letter TR-0001 -o letter.pdf
    """
    with open_store() as store:
        written = write_letter(store, ref, output, sender=sender)
    out.print(str(written))


@trace_app.command("terms")
def terms(
    company: Annotated[str, typer.Argument(help="The company's name.")],
    named: Annotated[
        bool, typer.Option("--named/--not-named", help="May it be named publicly?")
    ] = True,
    named_after: Annotated[
        datetime.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="It may be named from this date."),
    ] = None,
    confidential_answer: Annotated[
        bool, typer.Option(help="Keep the answer's text from the public.")
    ] = False,
    kind: Annotated[
        str | None, typer.Option(help="distributor, exporter... for the label.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-2, for the label.")] = None,
    label: Annotated[str | None, typer.Option(help="What the public reads instead.")] = None,
    request: Annotated[str | None, typer.Option(help="Terms for this request only.")] = None,
    note: Annotated[str | None, typer.Option(help="Where the terms were agreed.")] = None,
) -> None:
    """Record disclosure terms agreed with a company; every public output honours them.

    Example: armtrace trace terms "Meridian GmbH" --not-named --kind distributor --country DE
    """
    with open_store() as store:
        agreed = set_terms(
            store, company, actor=store.settings.actor, may_name_publicly=named,
            may_name_after=_day(named_after), answer_confidential=confidential_answer,
            company_kind=kind, company_country=country, public_label=label, request=request,
            note=note,
        )  # fmt: skip
    out.print(
        f"{company}: the public reads "
        f"{company if agreed.nameable(datetime.date.today()) else agreed.label!r}"
    )


@trace_app.command("companies")
def companies(as_json: Json = False) -> None:
    """Every company in a custody chain (what sanctions screening checks).

    Example: armtrace trace companies --json
    """
    with open_store() as store:
        found = chain_companies(store)
    if as_json:
        print_json([c.as_json() for c in found])
        return
    for c in found:
        out.print(f"{c.name} ({c.country or 'country unknown'})", highlight=False)


@transfer_app.command("add")
def transfer_add(
    from_company: Annotated[str, typer.Option("--from", help="Who passed the goods on.")],
    to_company: Annotated[str, typer.Option("--to", help="Who received them.")],
    from_country: Annotated[str | None, typer.Option(help="ISO alpha-2.")] = None,
    to_country: Annotated[str | None, typer.Option(help="ISO alpha-2.")] = None,
    date: Annotated[
        datetime.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="When (unknown if omitted)."),
    ] = None,
    lot: Annotated[str | None, typer.Option(help="Lot or batch.")] = None,
    request: Annotated[
        str | None, typer.Option(help="The answered request that documents it.")
    ] = None,
    item: Annotated[str | None, typer.Option(help="Item of the components.")] = None,
    component: Annotated[
        list[str] | None, typer.Option(help="Component key (repeat); default: the request's.")
    ] = None,
    document: Annotated[Path | None, typer.Option(help="Invoice, shipping record...")] = None,
    note: Annotated[str | None, typer.Option(help="Free text.")] = None,
    as_json: Json = False,
) -> None:
    """Record a custody transfer of components.

    Example: armtrace trace transfer add --from "Meridian GmbH" --from-country DE --to
    "Northstar Ltd" --to-country HK --date 2023-08-14 --request TR-0002
    """
    spec = TransferSpec(from_company, to_company, from_country, to_country, _day(date), lot, note)
    with open_store() as store:
        done = add_transfer(
            store, spec, actor=store.settings.actor, request=request, item_key=item,
            component_keys=component or [], document=document,
        )  # fmt: skip
    if as_json:
        print_json(done.as_json())
    else:
        out.print(f"transfer {done.id}: {done.from_company} → {done.to_company}", highlight=False)


@diversion_app.command("mark")
def diversion_mark(
    transfer: Annotated[int, typer.Argument(help="The transfer id.")],
    custodian: Annotated[
        str, typer.Option(help="The last legitimate custodian (a party of the transfer).")
    ],
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Mark where a chain left legitimate trade.

    Example: armtrace trace diversion mark 2 --custodian "Meridian GmbH" --note "sold to listed"
    """
    with open_store() as store:
        mark_diversion(
            store, transfer, last_legitimate_custodian=custodian, actor=store.settings.actor,
            note=note,
        )  # fmt: skip
    out.print(f"transfer {transfer}: point of diversion marked")


@diversion_app.command("unmark")
def diversion_unmark(transfer: Annotated[int, typer.Argument(help="The transfer id.")]) -> None:
    """Withdraw a diversion mark.

    Example: armtrace trace diversion unmark 2
    """
    with open_store() as store:
        unmark_diversion(store, transfer, actor=store.settings.actor)
    out.print(f"transfer {transfer}: mark withdrawn")
