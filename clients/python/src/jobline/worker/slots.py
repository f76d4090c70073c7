"""How many more jobs this worker may take: the poll loop takes a slot before it polls, a job gives it back."""
from __future__ import annotations

import threading


class Slots:
    def __init__(self, count: int):
        if count < 1:
            raise ValueError(f"concurrency must be at least 1, not {count}")
        self._free = count
        self._closed = False
        self._changed = threading.Condition()

    def take(self) -> bool:
        """Waits for a free slot and takes it; False once closed."""
        with self._changed:
            while self._free == 0 and not self._closed:
                self._changed.wait()
            if self._closed:
                return False
            self._free -= 1
            return True

    def give(self) -> None:
        with self._changed:
            self._free += 1
            self._changed.notify()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
