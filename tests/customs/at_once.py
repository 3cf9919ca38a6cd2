"""Two or more calls started at the same moment, each on its own thread and database connection, for the
tests of batches that race each other (PostgreSQL, transactional tests)."""

import threading


def at_once(*calls) -> list:
    """Run the functions together (a barrier releases them at once); returns each one's result, or the
    exception it raised, in the order given."""
    from django.db import connections

    results: list = [None] * len(calls)
    started = threading.Barrier(len(calls))

    def run(index, call):
        try:
            started.wait()
            results[index] = call()
        except Exception as exc:  # handed back to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
