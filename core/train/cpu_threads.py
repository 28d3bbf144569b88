"""torch's thread count for a CPU run, measured while the run goes instead of guessed.

Whether a second thread helps depends on the model and the machine's load: on an idle 2-core laptop two
threads make a classification step at ~160 tokens 1.6x faster, a NER step at ~40 tokens 0-25 % faster
(small matrices split poorly; the gain moves with the machine's load), and beside one busy program two
threads are twice as slow (OpenMP's threads spin waiting for a partner that is descheduled). torch has
no adaptive setting, so `ThreadTuner` tries the candidate counts on the run's own steps, a few steps
each, keeps the fastest (the smaller count when they measure within 3 %: a second thread doubles the
CPU time and the heat), measures once more a little later and decides on both trials' steps, and tries
again when its steps slow down (another program started) or every `recheck_s` seconds (one may have
stopped).

Why a second trial: one trial of ~24 steps a count decides for the whole of a short run (a NER run
trains for ~15 s), and a step's time scatters by ~20 %, so a true 10-15 % gain of a second thread
measures under the 3 % tie now and then, and anything that briefly takes the second core during the
trial tips it: in one bench run a NER run kept one thread and took 29.6 s where the runs at two threads
took ~20 s (docs/benchmarks.md). The second trial, `confirm_steps` steps after the first choice (~4 s
of a NER run), adds its steps to the first trial's, so the count that keeps the rest of the run rests
on twice the steps, taken at two moments. It is placed by steps, not seconds, so a run repeats its
thread switches at the same steps when its choices are the same (a step computed at one or two threads
rounds differently). Later re-measurements start afresh: their point is that the machine changed.
Only a close call gets the second trial (counts within `confirm_within`, 25 %, of each other): beside a
busy program two threads measure ~2x slower, and there the second trial's two-thread steps cost a NER
run ~1.5 s for nothing; classification's two threads measure ~1.6x faster.
A trial ends early once a count's steps take over `give_up` (2x) the time of another's, per step and
per token, on `give_up_after` (3) counted steps each: on one machine two threads beside a busy program
took ~12x as long a step, and a whole trial's 24 of those steps cost a one-epoch NER run ~9 s
(docs/benchmarks.md).

Steps of length-grouped batches differ in length, and a step's time is not proportional to its tokens:
a NER step pays ~20 ms of fixed cost (Python, transformers' modules, the Trainer's loop) on top of
~14 us a token here. Comparing time per token then favours whichever count happened to get the longer
batches: over a whole epoch of alternating trials, the per-token medians picked one thread in 80-100 %
of 4-block trials although two threads were 6-9 % faster at equal length (docs/benchmarks.md). So each
count's step times are fitted as a line in the step's tokens, and the counts are compared at the same
length, the mean of the trial's steps. A trial runs each count 4 x 6 steps (in those logs 2 x 6 picked the
faster count in 4 trials of 5, 4 x 6 in all; the slower count's 24 steps cost ~0.1 s of a NER run).

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
    favour either (the first step after a switch is not counted: the thread pool wakes up); each count's
    step times are fitted as a line in the step's tokens (`StepFit`), and the fastest at the trial's mean
    length wins, the smaller count when they are within `tie` (measurement noise). A step whose time per
    token is over 3x the trial's median for its count (an evaluation or a checkpoint ran between two steps)
    does not count. A trial stops early when, with at least `give_up_after` counted steps for each, one
    count's median times per step and per token are both over `give_up` times another's. `confirm_steps`
    steps after the first choice a second trial adds its steps to the first's and decides again (None: no
    second trial), when the first trial's counts measured within `confirm_within` of each other (a clear
    verdict needs no second look). The chosen count then stays until its last `window` steps take a
    median `slower` times what its fit expects for their lengths (another program took a core: two
    threads beside it are 2x slower; the machine's own drift stays under 1.5x), or `recheck_s` seconds
    have passed: then a new trial on new steps only."""

    def __init__(self, candidates: list[int], *, set_threads: Callable[[int], None] | None = None,
                 on_choice: Callable[[int, dict[int, float]], None] | None = None, block: int = 6, rounds: int = 4,
                 tie: float = 0.03, slower: float = 1.5, window: int = 18, recheck_s: float = 120.0, warmup: int = 3,
                 confirm_steps: int | None = 200, confirm_within: float = 0.25, give_up: float = 2.0,
                 give_up_after: int = 3, clock: Callable[[], float] = time.perf_counter) -> None:
        if not candidates:
            raise ValueError("no thread counts to choose from")
        self.candidates = sorted(set(candidates))
        self._set = set_threads or _torch_set_threads
        self._on_choice = on_choice
        self.block, self.rounds, self.tie, self.slower, self.recheck_s = block, rounds, tie, slower, recheck_s
        self.window = window
        self.confirm_steps, self.confirm_within = confirm_steps, confirm_within
        self.give_up, self.give_up_after = give_up, give_up_after
        self._confirmed = confirm_steps is None   # the second trial, pooled with the first, has run
        self._since_choice = 0   # counted steps since the last trial ended
        self._clock = clock
        self.current: int | None = None
        self.chosen: int | None = None
        self.measured: dict[int, float] = {}   # seconds per token at the trial's mean step length
        self._fits: dict[int, StepFit] = {}
        self._plan: list[int] = []
        self._samples: dict[int, list[tuple[int, float]]] = {}   # (tokens, seconds) of each counted step
        self._recent: list[float] = []   # the chosen count's recent steps: seconds / what its fit expects
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
                self._record(count, max(1, done_tokens), now - start)
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
    def _record(self, count: int, tokens: int, seconds: float) -> None:
        if self._in_trial:
            self._samples.setdefault(count, []).append((tokens, seconds))
            if not self._plan or self._clearly_apart():
                self._plan = []
                self._finish_trial()
            return
        fit = self._fits.get(self.chosen) if self.chosen is not None else None
        if fit is not None:
            self._recent = (self._recent + [seconds / fit.at(tokens)])[-self.window:]
        self._since_choice += 1
        slowed = len(self._recent) == self.window and statistics.median(self._recent) > self.slower
        if slowed:
            self._start_trial()
        elif not self._confirmed and self._since_choice >= self.confirm_steps:
            self._confirmed = True
            self._start_trial(pooled=True)
        elif self._clock() - self._chosen_at > self.recheck_s:
            self._start_trial()

    # ------------------------------------------------------------------ trials
    def _start_trial(self, pooled: bool = False) -> None:
        """A new trial; `pooled`: its steps join the last trial's (the second trial of a run)."""
        if not pooled:
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

    def _clearly_apart(self) -> bool:
        """True when one count measured so far is over `give_up` times slower than another, both per step
        and per token (medians). Both, because steps differ in length: a count whose steps were shorter
        looks slower per token, one whose steps were longer looks slower per step; slower in both, it is
        slower at either's length (a step's time is a fixed part plus a part per token)."""
        medians = [(statistics.median(t for _, t in v), statistics.median(t / n for n, t in v))
                   for v in self._samples.values() if len(v) >= self.give_up_after]
        return any(step_a > self.give_up * step_b and token_a > self.give_up * token_b
                   for step_a, token_a in medians for step_b, token_b in medians)

    def _finish_trial(self) -> None:
        self._in_trial = False
        kept = {c: _without_outliers(v) for c, v in self._samples.items() if v}
        self._fits = {c: StepFit.of(v) for c, v in kept.items()}
        steps = [n for v in kept.values() for n, _ in v]
        length = sum(steps) / len(steps)
        self.measured = {c: fit.at(length) / length for c, fit in self._fits.items()}
        best = min(self.measured.values())
        choice = min(c for c, t in self.measured.items() if t <= best * (1 + self.tie))
        if max(self.measured.values()) > best * (1 + self.confirm_within):
            self._confirmed = True   # not a close call: no second trial
        changed = choice != self.chosen
        self.chosen = choice
        self._chosen_at = self._clock()
        self._since_choice = 0
        if changed and self._on_choice is not None:
            self._on_choice(choice, dict(self.measured))


class StepFit:
    """A count's step time as `fixed + per_token * tokens`, least squares over its trial steps.

    Without a spread of lengths (fixed padding: every step the same) it is the mean time per token."""

    def __init__(self, fixed: float, per_token: float) -> None:
        self.fixed, self.per_token = fixed, per_token

    @classmethod
    def of(cls, samples: list[tuple[int, float]]) -> "StepFit":
        tokens = [float(n) for n, _ in samples]
        seconds = [t for _, t in samples]
        if len(set(tokens)) > 1:
            per_token, fixed = statistics.linear_regression(tokens, seconds)
            return cls(fixed, per_token)
        return cls(0.0, sum(seconds) / sum(tokens))

    def at(self, tokens: float) -> float:
        """Expected seconds of a step of `tokens` tokens (kept above zero: a line fitted to noisy steps may cross it)."""
        return max(self.fixed + self.per_token * tokens, 1e-9)


def _without_outliers(samples: list[tuple[int, float]], outlier: float = 3.0) -> list[tuple[int, float]]:
    """The steps whose time per token is at most `outlier` x the median (not an evaluation between two steps)."""
    mid = statistics.median(t / n for n, t in samples)
    kept = [(n, t) for n, t in samples if t / n <= outlier * mid]
    return kept or samples


def _torch_set_threads(n: int) -> None:
    import torch

    torch.set_num_threads(n)   # from the training thread: OpenMP keeps the count per calling thread
