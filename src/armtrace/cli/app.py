"""The Typer application, global options and the helpers every command shares."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn

from armtrace.errors import ArmtraceError
from armtrace.settings import Settings, load_settings
from armtrace.store import Store

app = typer.Typer(
    name="armtrace",
    help=(
        "Trace recovered weapons to the companies and countries that made their parts.\n\n"
        "Example: armtrace import kharkiv.csv && armtrace export all.xlsx"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


class State:
    """Options given before the command name."""

    db: str | None = None
    evidence: str | None = None


state = State()


@app.callback()
def _options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", envvar="ARMTRACE_DB", help="Store URL: sqlite:///FILE or postgresql://..."
        ),
    ] = None,
    evidence: Annotated[
        str | None,
        typer.Option("--evidence", envvar="ARMTRACE_EVIDENCE", help="Evidence directory."),
    ] = None,
) -> None:
    state.db = db
    state.evidence = evidence


def settings() -> Settings:
    """Settings from the global options and the environment."""
    return load_settings(db=state.db, evidence=state.evidence)


@contextmanager
def open_store(store_settings: Settings | None = None) -> Iterator[Store]:
    """Open the store for one command and turn armtrace errors into a clean exit."""
    with user_errors():
        store = Store.open(store_settings or settings())
        try:
            yield store
        finally:
            store.close()


@contextmanager
def user_errors() -> Iterator[None]:
    """Print an ArmtraceError's message (no traceback) and exit with status 1."""
    try:
        yield
    except ArmtraceError as exc:
        err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def print_json(value: Any) -> None:
    """One JSON document on one line, for other programs."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")


def progress_bar(label: str, counter: ProgressColumn, *, disable: bool = False) -> Progress:
    """The progress bar long commands show on stderr: label, bar, a counter, time left."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        counter,
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=disable,
    )
