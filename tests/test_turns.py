"""SQLite's write gate hands its turn to writers in the order they asked (app.db.Turns), and a
writer that gave up waiting is skipped, never handed a turn it no longer waits for."""

import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from app.db import Turns

PATIENT_S = 10.0


def _asked(turns: Turns, gave_up: dict[int, bool], count: int) -> None:
    """Until `count` threads have asked for a turn: waiting for it, or already given up."""
    deadline = time.monotonic() + PATIENT_S
    while len(turns._waiting) + len(gave_up) < count:
        assert time.monotonic() < deadline, "a waiter never queued"
        time.sleep(0.001)


@settings(max_examples=60)  # each example waits in real time (~0.1 s)
@given(st.lists(st.booleans(), min_size=1, max_size=8))
def test_turns_go_in_the_order_asked_and_skip_who_gave_up(gives_up: list[bool]) -> None:
    turns = Turns()
    assert turns.take(0)
    order: list[int] = []
    took: dict[int, bool] = {}

    def writer(n: int) -> None:
        took[n] = turns.take(0.02 if gives_up[n] else PATIENT_S)
        if took[n]:
            order.append(n)
            turns.give_back()

    threads = []
    for n in range(len(gives_up)):
        threads.append(threading.Thread(target=writer, args=(n,)))
        threads[-1].start()
        _asked(turns, took, n + 1)  # each behind the ones started before it
    time.sleep(0.06)  # the impatient ones give up meanwhile
    turns.give_back()
    for thread in threads:
        thread.join(PATIENT_S)
    patient = [n for n, impatient in enumerate(gives_up) if not impatient]
    assert order == patient
    assert all(took[n] for n in patient)
    assert not any(took[n] for n, impatient in enumerate(gives_up) if impatient)
    assert turns.take(0), "free again once everyone is done"
