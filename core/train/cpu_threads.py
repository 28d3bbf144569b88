"""torch's thread count for a CPU run, measured while the run goes instead of guessed.

Whether a second thread helps depends on the model and the machine's load: on an idle 2-core laptop two
threads make a classification step at ~160 tokens 1.6x faster, a NER step at ~40 tokens not at all
(the matrices are too small to split), and beside one busy program two threads are twice as slow
(OpenMP's threads spin waiting for a partner that is descheduled). torch has no adaptive setting, so
`ThreadTuner` tries the candidate counts on the run's own steps, a few steps each, keeps the fastest
(the smaller count unless the larger saves at least 10 % of a step: a second thread doubles the CPU time
and the heat, and takes the desktop's core), and tries again when its steps slow down
(another program started) or every `recheck_s` seconds (one may have stopped). Times are per token of
the step's batch, so length-grouped batches of different lengths compare.

`thread_candidates` keeps the issue's rule for larger machines: above 4 physical cores, all but one,
fixed; on up to 4 cores, cores - 1 or all cores, whichever measures faster now; never more threads than
the CPUs this process may use. `device.cpu_threads` fixes the count and turns the tuner off.
"""
from __future__ import annotations

import os
import statistics
import time
from typing import Callable

FIXED_ABOVE_CORES = 4


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def physical_cores() -> int:
    import psutil

    return psutil.cpu_count(logical=False) or os.cpu_count() or 1


def thread_candidates(physical: int | None = None, usable: int | None = None) -> list[int]:
    """The thread counts a CPU run may use, smallest first (one entry: nothing to measure)."""
    physical = physical_cores() if physical is None else physical
    usable = usable_cpus() if usable is None else usable
    n = max(1, min(physical, usable))
    if physical > FIXED_ABOVE_CORES:
        return [max(1, n - 1)]
    return sorted({max(1, n - 1), n})


class ThreadTuner:
    """Chooses among `candidates` thread counts by timing the run's own training steps.

    `before_step()` sets the count for the next step; `after_step(seconds, tokens)` records it. The first
    `warmup` steps of the run are not measured. A trial runs each candidate for `block` steps, `rounds`
    times, in an A B B A order so a drift of the step times does not favour either (the first step after
    a switch is not counted: the thread pool wakes up); the fastest median time per token wins, the
    smaller count when they are within `tie`. After the trial the chosen count stays until the median of its last `block`
    steps is `slower` times the trial's, or `recheck_s` seconds have passed: then a new trial."""

    def __init__(self, candidates: list[int], *, set_threads: Callable[[int], None] | None = None,
                 on_choice: Callable[[int, dict[int, float]], None] | None = None, block: int = 6, rounds: int = 2,
                 tie: float = 0.10, slower: float = 1.4, recheck_s: float = 120.0, warmup: int = 3,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not candidates:
            raise ValueError("no thread counts to choose from")
        self.candidates = sorted(set(candidates))
        self._set = set_threads or _torch_set_threads
        self._on_choice = on_choice
        self.block, self.rounds, self.tie, self.slower, self.recheck_s = block, rounds, tie, slower, recheck_s
        self._clock = clock
        self.current: int | None = None
        self.chosen: int | None = None
        self.measured: dict[int, float] = {}
        self._plan: list[int] = []
        self._samples: dict[int, list[float]] = {}
        self._recent: list[float] = []
        self._skip = False
        self._chosen_at = 0.0
        self._warmup = warmup
        self._start_trial()

    # ------------------------------------------------------------------ the step hooks
    def before_step(self) -> int:
        want = self.candidates[0] if self._warmup else self._plan[0] if self._plan else self.chosen
        assert want is not None
        if want != self.current:
            self._set(want)
            self.current = want
            self._skip = True   # the first step on a new count pays the pool's wake-up
        return want

    def after_step(self, seconds: float, tokens: int) -> None:
        if self._warmup:
            self._warmup -= 1
            self._skip = False
            return
        if self._skip:
            self._skip = False
            return
        per_token = seconds / max(1, tokens)
        if self._plan:
            count = self._plan.pop(0)
            self._samples.setdefault(count, []).append(per_token)
            if not self._plan:
                self._finish_trial()
            return
        self._recent = (self._recent + [per_token])[-self.block:]
        slowed = (len(self._recent) == self.block and self.chosen in self.measured
                  and statistics.median(self._recent) > self.slower * self.measured[self.chosen])
        if slowed or self._clock() - self._chosen_at > self.recheck_s:
            self._start_trial()

    # ------------------------------------------------------------------ trials
    def _start_trial(self) -> None:
        self._samples = {}
        self._recent = []
        if len(self.candidates) == 1:
            self._plan = []
            self.chosen = self.candidates[0]
            self._chosen_at = self._clock()
            return
        # Each count for `block` counted steps at a time (after_step skips the first step after a switch).
        order = [self.candidates if r % 2 == 0 else self.candidates[::-1] for r in range(self.rounds)]
        self._plan = [c for counts in order for c in counts for _ in range(self.block)]

    def _finish_trial(self) -> None:
        self.measured = {c: statistics.median(v) for c, v in self._samples.items() if v}
        best = min(self.measured.values())
        choice = min(c for c, t in self.measured.items() if t <= best * (1 + self.tie))
        changed = choice != self.chosen
        self.chosen = choice
        self._chosen_at = self._clock()
        if changed and self._on_choice is not None:
            self._on_choice(choice, dict(self.measured))


def _torch_set_threads(n: int) -> None:
    import torch

    torch.set_num_threads(n)   # from the training thread: OpenMP keeps the count per calling thread
