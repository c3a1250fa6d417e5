"""Bounded memos of pure look-ups, one plain dict per context object (a registry, a logo set).

``functools.lru_cache`` over ``(registry, text)`` keeps a key tuple per entry, and a tuple that
holds a registry stays tracked by the garbage collector, which walks every one of them on each
full collection. Over many distinct markings that walking cost more than the look-ups saved. Here
each context gets its own dict keyed by the text alone, so an entry adds no object to collect.
A full dict is emptied rather than trimmed: the work is pure, so what is kept changes speed only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

C = TypeVar("C", bound=Hashable)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()
_MAX_CONTEXTS = 4  # registries or logo sets alive at once; more is a test run, not a server


class ContextMemo(Generic[C, K, V]):
    """``compute(context, key)``, remembered per context for up to ``maxsize`` keys."""

    def __init__(self, compute: Callable[[C, K], V], maxsize: int) -> None:
        self._compute = compute
        self._maxsize = maxsize
        self._tables: dict[C, dict[K, object]] = {}
        self.__doc__ = compute.__doc__
        self.__wrapped__ = compute

    def __call__(self, context: C, key: K) -> V:
        table = self._tables.get(context)  # _table, inlined: this runs for every token
        if table is None:
            table = self._table(context)
        found = table.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]  # stored by _store, a V
        return self._store(table, key, self._compute(context, key))

    def lookup(self, context: C, key: K, compute: Callable[[], V]) -> V:
        """The remembered value, else ``compute()`` (which must equal ``compute(context, key)``)."""
        table = self._table(context)
        found = table.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]  # stored by _store, a V
        return self._store(table, key, compute())

    def _table(self, context: C) -> dict[K, object]:
        table = self._tables.get(context)
        if table is None:
            if len(self._tables) >= _MAX_CONTEXTS:
                self._tables.clear()
            table = self._tables[context] = {}
        return table

    def _store(self, table: dict[K, object], key: K, value: V) -> V:
        if len(table) >= self._maxsize:
            table.clear()
        table[key] = value
        return value

    def cache_clear(self) -> None:
        """Forget everything (benchmarks start from empty memos)."""
        self._tables.clear()


def per_context(maxsize: int) -> Callable[[Callable[[C, K], V]], ContextMemo[C, K, V]]:
    """Decorate a pure function of (context, key) with a ``ContextMemo``."""

    def wrap(compute: Callable[[C, K], V]) -> ContextMemo[C, K, V]:
        return ContextMemo(compute, maxsize)

    return wrap


class KeyMemo(Generic[K, V]):
    """``compute(key)``, remembered for up to ``maxsize`` keys, for work that needs no context.

    ``functools.lru_cache`` keeps a linked list per entry, each one more object for the garbage
    collector to walk; a plain dict keeps none.
    """

    def __init__(self, compute: Callable[[K], V], maxsize: int) -> None:
        self._compute = compute
        self._maxsize = maxsize
        self._table: dict[K, object] = {}
        self.__doc__ = compute.__doc__
        self.__wrapped__ = compute

    def __call__(self, key: K) -> V:
        found = self._table.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]  # stored below, a V
        value = self._compute(key)
        if len(self._table) >= self._maxsize:
            self._table.clear()
        self._table[key] = value
        return value

    def cache_clear(self) -> None:
        """Forget everything (benchmarks start from empty memos)."""
        self._table.clear()


def per_key(maxsize: int) -> Callable[[Callable[[K], V]], KeyMemo[K, V]]:
    """Decorate a pure function of one hashable argument with a ``KeyMemo``."""

    def wrap(compute: Callable[[K], V]) -> KeyMemo[K, V]:
        return KeyMemo(compute, maxsize)

    return wrap
