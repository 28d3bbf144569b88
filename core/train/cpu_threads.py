"""torch's thread count for a CPU run, measured while the run goes instead of guessed.

Whether a second thread helps depends on the model and the machine's load: on an idle 2-core laptop two
threads make a classification step at ~160 tokens 1.6x faster, a NER step at ~40 tokens not at all
(the matrices are too small to split), and beside one busy program two threads are twice as slow
(OpenMP's threads spin waiting for a partner that is descheduled). torch has no adaptive setting, so
`ThreadTuner` tries the candidate counts on the run's own steps, a few steps each, keeps the fastest
(the smaller count when they measure within 3 %: a second thread doubles the CPU time and the heat),
and tries again when its steps slow down
(another program started) or every `recheck_s` seconds (one may have stopped). Times are per token of
the step's batch, so length-grouped batches of different lengths compare.

`thread_candidates` keeps a fixed rule for larger machines: above 4 physical cores, all but one,
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


def measured_candidates(fixed: int | None) -> list[int]:
    """The counts a CPU run measures between: [] when device.cpu_threads fixes it or one count is all there is."""
    if fixed:
        return []
    candidates = thread_candidates()
    return candidates if len(candidates) > 1 else []


def start_note(threads: int, candidates: list[int]) -> str:
    """The run's note on its thread count as it starts (`candidates` from measured_candidates)."""
    if candidates:
        return (f"{candidates[0]} or {candidates[-1]} CPU threads for torch, whichever measures faster during the run "
                "(device.cpu_threads fixes the number)")
    return (f"{threads} CPU thread{'s' if threads > 1 else ''} for torch "
            "(device.cpu_threads; default: all physical cores but one)")


def choice_note(threads: int, step: int, measured: dict[int, float]) -> str:
    """The run's note when the tuner picks a count: its times in ms per 1000 tokens."""
    times = ", ".join(f"{n}: {t * 1e6:.0f}" for n, t in sorted(measured.items()))
    return (f"torch uses {threads} CPU thread{'s' if threads > 1 else ''} from step {step} "
            f"(measured: {times} ms per 1000 tokens)")


class ThreadTuner:
    """Chooses among `candidates` thread counts by timing the run's own training steps.

    `step(tokens)` is called as each training step starts: it closes the previous step's time (from one
    start to the next: forward, backward, optimizer, data loading, what the user waits for) and sets the
    count for the new step. The first `warmup` steps of the run are not measured. A trial runs each
    candidate for `block` steps, `rounds` times, in an A B B A order so a drift of the step times does not
    favour either (the first step after a switch is not counted: the thread pool wakes up); the fastest
    median time per token wins, the smaller count when they are within `tie` (measurement noise). A step
    that took longer than `outlier` times the block's median (an evaluation or a checkpoint ran between two
    steps) does not count. After the trial the chosen count stays until the median of its last `window`
    steps is `slower` times the trial's (another program took a core: two threads beside it are 2x slower;
    batches of other lengths and the machine's own drift stay under 1.5x), or `recheck_s` seconds have
    passed: then a new trial."""

    def __init__(self, candidates: list[int], *, set_threads: Callable[[int], None] | None = None,
                 on_choice: Callable[[int, dict[int, float]], None] | None = None, block: int = 6, rounds: int = 2,
                 tie: float = 0.03, slower: float = 1.5, window: int = 18, recheck_s: float = 120.0, warmup: int = 3,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        if not candidates:
            raise ValueError("no thread counts to choose from")
        self.candidates = sorted(set(candidates))
        self._set = set_threads or _torch_set_threads
        self._on_choice = on_choice
        self.block, self.rounds, self.tie, self.slower, self.recheck_s = block, rounds, tie, slower, recheck_s
        self.window = window
        self._clock = clock
        self.current: int | None = None
        self.chosen: int | None = None
        self.measured: dict[int, float] = {}
        self._plan: list[int] = []
        self._samples: dict[int, list[float]] = {}
        self._recent: list[float] = []
        self._pending: tuple[int, float, int, bool] | None = None   # count, start, tokens, counted
        self._chosen_at = 0.0
        self._warmup = warmup
        self._in_trial = False
        self._start_trial()

    def step(self, tokens: int) -> int:
        """A training step of `tokens` tokens starts now: returns (and sets) its thread count."""
        now = self._clock()
        if self._pending is not None:
            count, start, done_tokens, counted = self._pending
            if counted:
                self._record(count, (now - start) / max(1, done_tokens))
        if self._warmup:
            self._warmup -= 1
            want, counted = self.candidates[0], False
        else:
            want = self._plan[0] if self._plan else self.chosen
            counted = want == self.current   # the first step after a switch pays the pool's wake-up
            if self._plan and counted:
                self._plan.pop(0)
        assert want is not None
        if want != self.current:
            self._set(want)
            self.current = want
        self._pending = (want, self._clock(), tokens, counted)
        return want

    # ------------------------------------------------------------------ measurements
    def _record(self, count: int, per_token: float) -> None:
        if self._in_trial:
            self._samples.setdefault(count, []).append(per_token)
            if not self._plan:
                self._finish_trial()
            return
        self._recent = (self._recent + [per_token])[-self.window:]
        slowed = (len(self._recent) == self.window and self.chosen in self.measured
                  and statistics.median(self._recent) > self.slower * self.measured[self.chosen])
        if slowed or self._clock() - self._chosen_at > self.recheck_s:
            self._start_trial()

    # ------------------------------------------------------------------ trials
    def _start_trial(self) -> None:
        self._samples = {}
        self._recent = []
        if len(self.candidates) == 1:
            self._plan, self._in_trial = [], False
            self.chosen = self.candidates[0]
            self._chosen_at = self._clock()
            return
        order = [self.candidates if r % 2 == 0 else self.candidates[::-1] for r in range(self.rounds)]
        self._plan = [c for counts in order for c in counts for _ in range(self.block)]
        self._in_trial = True

    def _finish_trial(self) -> None:
        self._in_trial = False
        self.measured = {c: _robust_median(v) for c, v in self._samples.items() if v}
        best = min(self.measured.values())
        choice = min(c for c, t in self.measured.items() if t <= best * (1 + self.tie))
        changed = choice != self.chosen
        self.chosen = choice
        self._chosen_at = self._clock()
        if changed and self._on_choice is not None:
            self._on_choice(choice, dict(self.measured))


def _robust_median(values: list[float], outlier: float = 3.0) -> float:
    """The median of `values` without those over `outlier` x the median (an evaluation between two steps)."""
    mid = statistics.median(values)
    kept = [v for v in values if v <= outlier * mid]
    return statistics.median(kept) if kept else mid


def _torch_set_threads(n: int) -> None:
    import torch

    torch.set_num_threads(n)   # from the training thread: OpenMP keeps the count per calling thread
