"""Helpers shared by the apps' tests (no app imports another app's tests)."""

import threading

from django.db import connections


def run_at_once(count, work):
    """Start `count` threads that call work(i) together; return their results or exceptions.

    Each thread opens its own database connection and closes it when done, so the work really
    runs in `count` concurrent transactions (on PostgreSQL; SQLite serialises every write).
    """
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - collected and asserted by the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
