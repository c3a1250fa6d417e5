"""Backup and restore of a whole store with its evidence, verified end to end.

A backup is one ``.tar.gz``: ``manifest.json`` (armtrace version, schema revision, row count and
SHA-256 of every table's canonical dump, SHA-256 of every evidence object), ``tables/*.jsonl``
(store-neutral JSON Lines) and ``evidence/<sha256>``. Because the dump is store-neutral, a backup
of an SQLite store restores into PostgreSQL: that is the supported move between them.
"""

from armtrace.backup.create import BackupReport, backup_store
from armtrace.backup.manifest import BackupError, Manifest
from armtrace.backup.restore import RestoreReport, restore_store

__all__ = [
    "BackupError",
    "BackupReport",
    "Manifest",
    "RestoreReport",
    "backup_store",
    "restore_store",
]
