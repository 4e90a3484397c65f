"""Fixed-window counters in the shared cache (database table, or Redis in production)."""

import time

from django.core.cache import cache


def _key(scope: str, ident: str, window: int) -> tuple[str, int]:
    bucket = int(time.time()) // window
    return f"rl:{scope}:{ident}:{bucket}", window - int(time.time()) % window


def hit(scope: str, ident: str, *, window: int) -> tuple[int, int]:
    """Count one event; returns (events in this window, seconds until it resets)."""
    key, remaining = _key(scope, ident, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count, remaining


def count(scope: str, ident: str, *, window: int) -> int:
    key, _ = _key(scope, ident, window)
    return int(cache.get(key, 0))
