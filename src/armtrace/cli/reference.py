"""The CLI reference in docs/cli.md, generated from the real commands so it cannot drift."""

from __future__ import annotations

from typing import Any

import typer
from typer.testing import CliRunner

from armtrace.cli.app import app

HEADER = (
    "# armtrace command-line reference\n\n"
    "Generated from the commands' own help by `python -m armtrace.cli.reference`; a test checks\n"
    "it is current.\n"
)


def render() -> str:
    """Markdown with the help text of every command and sub-command."""
    runner = CliRunner()
    group: Any = typer.main.get_command(app)
    sections = [HEADER]
    for path in _paths(group, []):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1"})
        title = " ".join(["armtrace", *path])
        sections.append(f"## {title}\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(sections)


def _paths(group: Any, prefix: list[str]) -> list[list[str]]:
    # Typer ships its own copy of click, so groups are recognised by having sub-commands.
    paths = [prefix]
    for name in sorted(group.commands):
        command = group.commands[name]
        if hasattr(command, "commands"):
            paths += _paths(command, [*prefix, name])
        else:
            paths.append([*prefix, name])
    return paths


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parents[3] / "docs" / "cli.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
