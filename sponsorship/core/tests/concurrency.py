"""Racing requests in tests: many threads, each on its own database connection, released at
once. For PostgreSQL; SQLite serialises every write transaction."""

import threading
from collections.abc import Callable

from django.db import connections

from sponsorship.core.errors import Conflict


def race(work: Callable[[int], object], threads: int) -> list[object]:
    """Run `work(n)` for n in 0..threads-1, all released at once, each on its own database
    connection. Returns what each returned or raised (a Conflict, such as an exhausted
    allocation, counts as an outcome); any other exception fails the test."""
    start = threading.Barrier(threads)
    outcomes: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait(timeout=30)
            try:
                result: object = work(n)
            except Conflict as refused:
                result = refused
            with lock:
                outcomes.append(result)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in pool), "a thread never finished"
    assert errors == []
    assert len(outcomes) == threads
    return outcomes
