"""Each site task's deliveries, in Redis: how many there were (a worker lost during each
one; past the bound the site is not audited again), which one is auditing now (a claim its
worker keeps alive), and the answer of the one that finished.

Redis hands an unacknowledged task to another worker once the visibility timeout passes,
also when the first worker is merely slow: that second delivery waits for the first one's
answer while the first one's claim stays alive, and audits only when the claim lapsed (its
worker died). So a redelivery is never a second, competing audit of the site."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis

CLAIM_TTL_S = 15  # a claim not renewed this long: its worker is gone
KEEP_S = 24 * 3600  # a redelivery comes within the visibility timeout


class Ledger:
    def __init__(self, client: redis.Redis, task_id: str) -> None:
        self.client = client
        self.deliveries = f"fleetaudit:task:{task_id}:deliveries"
        self.claim = f"fleetaudit:task:{task_id}:auditing"
        self.answer = f"fleetaudit:task:{task_id}:answer"

    def auditing(self) -> bool:
        """Some worker audits the site now (its claim is alive)."""
        return bool(self.client.exists(self.claim))

    def finished(self) -> dict[str, Any] | None:
        raw = self.client.get(self.answer)
        return json.loads(raw) if raw else None

    def take(self, worker: str, poll_s: float = 1.0) -> dict[str, Any] | int:
        """The answer of a delivery that finished, or (once no other delivery is alive)
        this delivery's number, counting it."""
        while True:
            done = self.finished()
            if done is not None:
                return done
            if self.client.set(self.claim, worker, nx=True, ex=CLAIM_TTL_S):
                delivery = int(self.client.incr(self.deliveries))
                self.client.expire(self.deliveries, KEEP_S)
                return delivery
            time.sleep(poll_s)

    @contextmanager
    def alive(self) -> Iterator[None]:
        """Keep this delivery's claim alive while the site is audited."""
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(CLAIM_TTL_S / 3):
                self.client.expire(self.claim, CLAIM_TTL_S)

        beat = threading.Thread(target=renew, name="fleetaudit-claim", daemon=True)
        beat.start()
        try:
            yield
        finally:
            stop.set()
            beat.join()

    def finish(self, answer: dict[str, Any]) -> None:
        self.client.set(self.answer, json.dumps(answer), ex=KEEP_S)
        self.client.delete(self.claim)
