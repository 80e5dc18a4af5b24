"""Admission to the query workers: per-client limit, bounded queue and wait, fair order."""

from __future__ import annotations

import threading
import time

import pytest

from edugraph.query.admission import Admission, Overloaded, TooManyQueries


def test_a_client_over_its_limit_is_refused_at_once_and_held() -> None:
    admission = Admission(slots=4, per_client=2, queue=4, wait=1)
    with admission.enter("a"), admission.enter("a"):
        started = time.monotonic()
        with pytest.raises(TooManyQueries, match="client_queries = 2"), admission.enter("a"):
            pass
        assert time.monotonic() - started < 0.1
        assert admission.held("a") and not admission.held("b")
        with admission.enter("b"):
            assert admission.load().running == 3
    assert admission.load().running == 0


def test_a_full_queue_refuses_at_once_and_a_long_wait_gives_up() -> None:
    admission = Admission(slots=1, per_client=4, queue=0, wait=0.3)
    with (
        admission.enter("a"),
        pytest.raises(Overloaded, match="queue is full"),
        admission.enter("b"),
    ):
        pass
    admission = Admission(slots=1, per_client=4, queue=2, wait=0.3)
    with admission.enter("a"):
        started = time.monotonic()
        with pytest.raises(Overloaded, match=r"within 0\.3 s"), admission.enter("b"):
            pass
        assert 0.25 < time.monotonic() - started < 1.0
        assert admission.load().queued == 0


def test_a_free_slot_goes_to_the_client_with_fewest_queries_running() -> None:
    admission = Admission(slots=2, per_client=4, queue=4, wait=5)
    order: list[str] = []
    release_c = threading.Event()
    entered = threading.Barrier(3)

    def hold(client: str, release: threading.Event) -> None:
        with admission.enter(client):
            entered.wait()
            release.wait()

    def wait_then_note(client: str) -> None:
        with admission.enter(client):
            order.append(client)

    forever = threading.Event()
    holders = [
        threading.Thread(target=hold, args=("a", forever)),
        threading.Thread(target=hold, args=("c", release_c)),
    ]
    for t in holders:
        t.start()
    entered.wait()  # a and c run: no free slot
    a_again = threading.Thread(target=wait_then_note, args=("a",))
    a_again.start()
    while admission.load().queued < 1:
        time.sleep(0.01)
    b = threading.Thread(target=wait_then_note, args=("b",))
    b.start()
    while admission.load().queued < 2:
        time.sleep(0.01)
    release_c.set()  # one slot: b (nothing running) before a's second, though a came first
    b.join(timeout=5)
    a_again.join(timeout=5)
    assert order == ["b", "a"]
    forever.set()
    for t in holders:
        t.join(timeout=5)
