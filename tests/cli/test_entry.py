"""The console script registers only the typed command's module, and its table stays complete."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import typer

from armtrace.cli import MODULES
from armtrace.cli.app import app
from armtrace.entry import COMMAND_MODULES, command_name


def _modules_of(instance: typer.Typer) -> set[str]:
    """The modules whose functions make up a Typer group, sub-groups included."""
    found = {c.callback.__module__ for c in instance.registered_commands if c.callback}
    for group in instance.registered_groups:
        assert group.typer_instance is not None
        found |= _modules_of(group.typer_instance)
    return found


def test_every_command_maps_to_the_module_that_registers_it() -> None:
    registered: dict[str, set[str]] = {}
    for command in app.registered_commands:
        assert command.name and command.callback
        registered[command.name] = {command.callback.__module__}
    for group in app.registered_groups:
        assert group.name and group.typer_instance is not None
        registered[group.name] = _modules_of(group.typer_instance)
    assert set(COMMAND_MODULES) == set(registered)
    for name, module in COMMAND_MODULES.items():
        assert registered[name] == {f"armtrace.cli.{module}"}, name
    # Every command module of the package is in the table (MODULES is derived from it), so a new
    # one cannot go unregistered; app and reference hold no commands.
    import pkgutil

    import armtrace.cli

    files = {m.name for m in pkgutil.iter_modules(armtrace.cli.__path__)} - {"app", "reference"}
    assert set(MODULES) == files


def test_command_name_skips_the_global_options() -> None:
    assert command_name(["import", "sheet.csv"]) == "import"
    assert command_name(["--db", "sqlite:///x.db", "--evidence", "ev", "status"]) == "status"
    assert command_name(["--db=sqlite:///x.db", "status"]) == "status"
    assert command_name(["--help"]) is None
    assert command_name([]) is None


def _loaded_after(*args: str) -> tuple[int, list[str]]:
    """Run the console script's main in a child; (exit code, armtrace.cli modules it loaded)."""
    script = (
        "import json, sys\n"
        f"sys.argv = ['armtrace', *{list(args)!r}]\n"
        "from armtrace.entry import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code or 0\n"
        "else:\n    code = 0\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('armtrace.cli.'))\n"
        "print(json.dumps({'code': code, 'loaded': loaded}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return int(result["code"]), list(result["loaded"])


def test_a_typed_command_loads_its_module_alone(tmp_path: Any) -> None:
    code, loaded = _loaded_after("--db", f"sqlite:///{tmp_path / 'a.db'}", "status")
    assert code == 0
    assert loaded == ["armtrace.cli.app", "armtrace.cli.status"]


def test_help_and_unknown_names_load_every_command() -> None:
    for args in (["--help"], ["no-such-command"]):
        _code, loaded = _loaded_after(*args)
        assert {f"armtrace.cli.{m}" for m in MODULES} <= set(loaded)


def test_each_command_runs_with_only_its_own_module_loaded() -> None:
    # A command that leaned on another module's registration or import would fail here.
    first: dict[str, str] = {}
    for name, module in COMMAND_MODULES.items():
        first.setdefault(module, name)
    for module, name in first.items():
        code, loaded = _loaded_after(name, "--help")
        assert code == 0, name
        assert f"armtrace.cli.{module}" in loaded
