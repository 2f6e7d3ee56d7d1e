"""A small thread-safe LRU cache, bounded by entries and optionally by the values' bytes: the
pipeline's caches, and the canvas's outline under the brush."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LRU:
    """Small thread-safe LRU cache (the GUI worker and a CLI run may share a pipeline)."""

    def __init__(self, size: int, max_bytes: int | None = None) -> None:
        self._size = size
        #: with ``max_bytes``, the oldest entries also go while the values' ``nbytes`` (numpy
        #: arrays) add up to more; the newest always stays
        self._max_bytes = max_bytes
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        value = make()
        self.put(key, value)
        return value

    def get(self, key: Hashable) -> Any:
        """The value under ``key`` (freshened), or None."""
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)
            if self._max_bytes is not None:
                total = sum(int(getattr(v, "nbytes", 0)) for v in self._data.values())
                while total > self._max_bytes and len(self._data) > 1:
                    _, old = self._data.popitem(last=False)
                    total -= int(getattr(old, "nbytes", 0))

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
