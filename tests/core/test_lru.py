"""The small LRU cache the pipeline and the canvas keep their values in."""

from __future__ import annotations

import numpy as np

from paintassist.core.lru import LRU


def test_the_cache_is_bounded_by_bytes_too() -> None:
    cache = LRU(10, max_bytes=2500)
    for k in range(5):
        cache.put(k, np.zeros(1000, np.uint8))
    assert [k for k in range(5) if cache.get(k) is not None] == [3, 4]  # 2,000 B kept
    cache.put("big", np.zeros(10_000, np.uint8))
    assert cache.get("big") is not None and cache.get(4) is None  # the newest always stays
    small = LRU(2)
    for k in range(3):
        small.put(k, np.zeros(10**6, np.uint8))  # no byte bound: the count alone
    assert small.get(0) is None and small.get(2) is not None
