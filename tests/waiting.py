"""Waiting for a state of the real app, never for a time: poll a condition with a generous deadline.

The deadline is wall-clock and generous (CI shares 2 cores with other work); a condition that holds
returns at once, so a quiet machine does not wait for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

DEADLINE_SECONDS = 60.0


async def wait_until(pilot, condition: Callable[[], object], what: str = "the app",  # noqa: ANN001 - a Pilot
                     seconds: float = DEADLINE_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        await pilot.pause(0.02)
