"""Settings, read from the environment in one place.

``ARMTRACE_DB``        the store URL; SQLite in the user's data directory unless it says otherwise.
``ARMTRACE_EVIDENCE``  the evidence directory; beside an SQLite store, or in the data directory.
``ARMTRACE_USER``      who is acting, for custody and audit records (defaults to the login name).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from armtrace.errors import ConfigError


def data_dir() -> Path:
    """The per-user data directory armtrace writes to by default."""
    override = os.environ.get("ARMTRACE_HOME")
    return Path(override) if override else Path(user_data_dir("armtrace", appauthor=False))


def default_db_url() -> str:
    """An SQLite file in the user's data directory."""
    return f"sqlite:///{data_dir() / 'armtrace.db'}"


def normalise_db_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` URLs and route them to psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if not (url.startswith("sqlite") or url.startswith("postgresql+psycopg://")):
        raise ConfigError(
            f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://HOST/DB"
        )
    return url


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run."""

    db_url: str
    evidence_dir: Path
    actor: str


def load_settings(db: str | None = None, evidence: str | None = None) -> Settings:
    """Resolve settings from explicit values, then the environment, then defaults."""
    url = normalise_db_url(db or os.environ.get("ARMTRACE_DB") or default_db_url())
    evidence_value = evidence or os.environ.get("ARMTRACE_EVIDENCE")
    if evidence_value:
        evidence_dir = Path(evidence_value)
    elif url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        evidence_dir = Path(url[len("sqlite:///") :]).parent / "evidence"
    else:
        evidence_dir = data_dir() / "evidence"
    actor = os.environ.get("ARMTRACE_USER") or _login_name()
    return Settings(db_url=url, evidence_dir=evidence_dir, actor=actor)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
