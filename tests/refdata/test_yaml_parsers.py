"""The registry reads the same with libyaml's parser as with PyYAML's pure-Python one."""

from __future__ import annotations

import pytest
import yaml

from armtrace.refdata import manufacturers


def test_libyaml_and_python_parsers_give_the_same_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert issubclass(manufacturers._YamlLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    paths = tuple(manufacturers.bundled_paths())
    fast = manufacturers._load(paths)

    class PurePython(yaml.SafeLoader):
        yaml_implicit_resolvers = manufacturers._YamlLoader.yaml_implicit_resolvers

    monkeypatch.setattr(manufacturers, "_YamlLoader", PurePython)
    slow = manufacturers._load(paths)
    assert sorted(fast, key=lambda m: m.id) == sorted(slow, key=lambda m: m.id)
    # Only true/false are booleans with either parser: Norway's code stays text.
    assert yaml.load("country: NO\nalias: ON\n", Loader=PurePython) == {
        "country": "NO",
        "alias": "ON",
    }
    assert yaml.load("country: NO\nalias: ON\n", Loader=manufacturers._YamlLoader) == {
        "country": "NO",
        "alias": "ON",
    }
