"""A bounded pool of store connections for the web app's worker threads, and a result cache.

DuckDB connections must not be shared by threads running queries at once; the app's request
threads borrow one of ``size`` connections to the same file instead (read-only unless writes were
allowed). Because a read-only database cannot change while the app runs, page results are cached
(least recently used first out); with writes allowed nothing is cached.
"""

from __future__ import annotations

import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flashpoint.store import Store


class StorePool:
    """``size`` open stores on one database file; ``with pool.store() as s:`` borrows one."""

    def __init__(self, path: str | Path, *, size: int = 4, read_only: bool = True, cache_size: int = 256) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._free: queue.LifoQueue[Store] = queue.LifoQueue()
        self._all = [Store(path, read_only=read_only) for _ in range(max(1, size))]
        for store in self._all:
            self._free.put(store)
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._cache_size = cache_size if read_only else 0
        self._lock = threading.Lock()

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = self._free.get()
        try:
            yield store
        finally:
            self._free.put(store)

    def cached(self, key: Hashable, compute: Callable[[Store], Any]) -> Any:
        """``compute(store)``, remembered under ``key`` while the database is read-only."""
        if self._cache_size:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    return self._cache[key]
        with self.store() as store:
            value = compute(store)
        if self._cache_size:
            with self._lock:
                self._cache[key] = value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return value

    def close(self) -> None:
        for store in self._all:
            store.close()
