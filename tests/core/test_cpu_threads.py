"""The CPU thread count a run measures while it goes (core/train/cpu_threads.py)."""
from __future__ import annotations

import pytest

from core.train.cpu_threads import ThreadTuner, thread_candidates


@pytest.mark.parametrize("physical, usable, want", [(1, 1, [1]), (2, 2, [1, 2]), (4, 4, [3, 4]), (4, 2, [1, 2]),
                                                    (6, 6, [5]), (16, 4, [3]), (8, 1, [1])])
def test_candidates_follow_the_cores_rule(physical, usable, want):
    assert thread_candidates(physical, usable) == want


class Machine:
    """A fake CPU: seconds per token for each thread count, changed by the test (e.g. a busy program starts);
    the tuner's clock advances by each step's time."""

    def __init__(self, per_token: dict[int, float], fixed: float = 0.0) -> None:
        self.per_token = per_token
        self.fixed = fixed   # seconds every step pays whatever its length (Python, the Trainer's loop)
        self.threads = None
        self.now = 0.0
        self.sets: list[int] = []
        self.choices: list[tuple[int, dict[int, float]]] = []

    def set_threads(self, n: int) -> None:
        self.threads = n
        self.sets.append(n)

    def tuner(self, candidates=(1, 2), rounds=2, **kw) -> ThreadTuner:
        """Two rounds (1 2 2 1) keep these step patterns short; a run's default is longer (test below)."""
        return ThreadTuner(list(candidates), set_threads=self.set_threads, clock=lambda: self.now,
                           on_choice=lambda n, m: self.choices.append((n, m)), rounds=rounds, **kw)

    def run(self, tuner: ThreadTuner, steps: int, tokens=(500, 700), pause_every: int = 0) -> list[int]:
        used = []
        for i in range(steps):
            t = tokens[i % len(tokens)]
            n = tuner.step(t)
            assert n == self.threads
            woke = used and used[-1] != n
            self.now += (self.fixed + self.per_token[n] * t) * (3.0 if woke else 1.0)   # a wake-up step is slow
            if pause_every and i % pause_every == pause_every - 1:
                self.now += 5.0                                            # an evaluation between two steps
            used.append(n)
        return used


def test_the_faster_count_wins_and_stays():
    machine = Machine({1: 40e-6, 2: 25e-6})          # classification-sized steps on an idle 2-core machine
    tuner = machine.tuner()
    used = machine.run(tuner, 60)
    assert tuner.chosen == 2 and machine.choices[0][0] == 2
    assert machine.choices[0][1] == pytest.approx({1: 40e-6, 2: 25e-6})
    # 3 warm-up steps at 1 thread, then 1 2 2 1: 6 counted steps a block, one uncounted wake-up step per switch
    assert used[:3] == [1, 1, 1]
    assert used[3:3 + 6 + 13 + 7] == [1] * 6 + [2] * 13 + [1] * 7
    assert set(used[30:]) == {2}


def test_counts_are_compared_at_the_same_step_length():
    # NER-like steps: 20 ms of fixed cost, and two threads 20 % faster per token. The trial's one-thread
    # blocks happen to get long batches, its two-thread blocks short ones (length-grouped batches in
    # blocks); time per token would pick one thread, the fits at one length pick two.
    machine = Machine({1: 30e-6, 2: 24e-6}, fixed=0.020)
    long_, short = [900, 1100], [150, 250]
    plan = [1] * 3 + [1] * 6 + [2] * 13 + [1] * 7   # warm-up, then 1 2 2 1 with a wake-up step per switch
    tokens = [(long_ if n == 1 else short)[i % 2] for i, n in enumerate(plan)] + [500] * 40
    tuner = machine.tuner()
    used = machine.run(tuner, len(tokens), tokens=tokens)
    assert used[:len(plan)] == plan
    assert tuner.chosen == 2 and machine.choices[0][0] == 2
    length = (6 * 1000 + 12 * 200 + 6 * 1000) / 24   # the trial's counted steps
    assert machine.choices[0][1] == pytest.approx({1: 0.020 / length + 30e-6, 2: 0.020 / length + 24e-6})
    assert set(used[len(plan):]) == {2}


def test_a_runs_trial_has_four_rounds():
    machine = Machine({1: 40e-6, 2: 25e-6})
    tuner = ThreadTuner([1, 2], set_threads=machine.set_threads, clock=lambda: machine.now)
    used = machine.run(tuner, 70)
    # 3 warm-up steps, then 1 2 2 1 1 2 2 1: 6 counted steps a block, a wake-up step per switch
    assert used[:3 + 6 + 13 + 13 + 13 + 7] == [1] * 9 + [2] * 13 + [1] * 13 + [2] * 13 + [1] * 7
    assert tuner.chosen == 2 and set(used[55:]) == {2}


def test_a_tie_keeps_the_smaller_count():
    machine = Machine({1: 30e-6, 2: 29.5e-6})        # small NER steps: a second thread buys nothing
    tuner = machine.tuner()
    used = machine.run(tuner, 60)
    assert tuner.chosen == 1 and set(used[30:]) == {1}


def test_evaluations_between_steps_do_not_decide():
    machine = Machine({1: 40e-6, 2: 25e-6})
    tuner = machine.tuner()
    machine.run(tuner, 60, pause_every=5)             # a 5 s pause after every fifth step, whatever its count
    assert tuner.chosen == 2 and machine.choices[0][1] == pytest.approx({1: 40e-6, 2: 25e-6})


def test_a_busy_program_makes_it_measure_again_and_drop_a_thread():
    machine = Machine({1: 40e-6, 2: 25e-6})
    tuner = machine.tuner()
    machine.run(tuner, 40)
    assert tuner.chosen == 2
    machine.per_token = {1: 41e-6, 2: 80e-6}          # another program took a core: two threads collapse
    used = machine.run(tuner, 60)
    assert tuner.chosen == 1 and used[-10:] == [1] * 10
    assert [n for n, _ in machine.choices] == [2, 1]


def test_it_measures_again_after_recheck_seconds_and_returns_to_the_faster_count():
    machine = Machine({1: 41e-6, 2: 80e-6})           # busy at the start
    tuner = machine.tuner(recheck_s=5.0, confirm_steps=None)   # the second, pooled trial: the test below
    machine.run(tuner, 40)
    assert tuner.chosen == 1
    machine.per_token = {1: 40e-6, 2: 25e-6}          # the other program ended; one thread does not slow down
    machine.run(tuner, 40)
    assert tuner.chosen == 1                          # nothing to notice yet
    machine.now += 10.0                               # past recheck_s
    machine.run(tuner, 60)
    assert tuner.chosen == 2


@pytest.mark.parametrize("confirm_steps", [50, None])
def test_a_second_trial_joins_the_first_and_overrules_a_disturbed_one(confirm_steps):
    # Something takes the second core during the first trial only: two threads measure slower there.
    # 50 steps later a second trial measures them 25 % faster; decided on both trials' steps (1: 40,
    # 2: (42 + 30) / 2 = 36 us a token), two threads win for the rest of the run. Without the second
    # trial the disturbed one decides until recheck_s (120 s).
    machine = Machine({1: 40e-6, 2: 42e-6})
    tuner = machine.tuner(confirm_steps=confirm_steps)
    machine.run(tuner, 30)                            # warm-up and the first trial (1 2 2 1)
    assert tuner.chosen == 1 and machine.choices == [(1, pytest.approx({1: 40e-6, 2: 42e-6}))]
    machine.per_token = {1: 40e-6, 2: 30e-6}          # the other program's burst is over
    machine.run(tuner, 10)
    assert tuner.chosen == 1                          # nothing measured yet
    used = machine.run(tuner, 100)                    # 50 steps, then the second trial (1 2 2 1)
    if confirm_steps is None:
        assert tuner.chosen == 1 and set(used) == {1} and len(machine.choices) == 1
        return
    assert tuner.chosen == 2 and used[-20:] == [2] * 20
    assert machine.choices[1] == (2, pytest.approx({1: 40e-6, 2: 36e-6}))
    assert set(machine.run(tuner, 200)) == {2} and len(machine.choices) == 2   # once, not every 50 steps


def test_later_trials_start_afresh():
    # After the second trial, a recheck measures new steps only: the machine changed since. Pooled with
    # the early trials' steps two threads would measure (48 + 48 + 25) / 3 = 40.3 us a token: one thread.
    machine = Machine({1: 40e-6, 2: 48e-6})           # two threads 20 % slower in both early trials
    tuner = machine.tuner(recheck_s=20.0, confirm_steps=20)
    machine.run(tuner, 30)
    assert 2 in machine.run(tuner, 60)                # the second trial, pooled: one thread
    assert tuner.chosen == 1 and len(machine.choices) == 1
    machine.per_token = {1: 40e-6, 2: 25e-6}          # idle now
    machine.now += 30.0                               # past recheck_s
    machine.run(tuner, 40)
    assert tuner.chosen == 2 and machine.choices[-1] == (2, pytest.approx({1: 40e-6, 2: 25e-6}))


@pytest.mark.parametrize("per_token, chosen", [({1: 41e-6, 2: 80e-6}, 1),    # beside a busy program
                                               ({1: 40e-6, 2: 25e-6}, 2)])   # long classification steps
def test_a_clear_verdict_gets_no_second_trial(per_token, chosen):
    machine = Machine(per_token)
    tuner = machine.tuner(confirm_steps=20)
    machine.run(tuner, 30)                            # warm-up and the first trial (1 2 2 1)
    assert tuner.chosen == chosen
    assert set(machine.run(tuner, 200)) == {chosen} and len(machine.choices) == 1


def test_a_count_far_slower_ends_the_trial_after_three_of_its_steps():
    # On one machine two threads beside a busy program took ~12x as long a step as one thread.
    machine = Machine({1: 40e-6, 2: 480e-6})
    tuner = machine.tuner(rounds=4)
    used = machine.run(tuner, 60)
    # warm-up, one block at one thread, then a wake-up step and three counted steps at two threads
    assert used[:3 + 6 + 4] == [1] * 9 + [2] * 4
    assert used.count(2) == 4 and tuner.chosen == 1
    assert machine.choices[0] == (1, pytest.approx({1: 40e-6, 2: 480e-6}))


@pytest.mark.parametrize("per_token", [{1: 41e-6, 2: 80e-6}, {1: 40e-6, 2: 25e-6}])
def test_counts_within_twice_each_other_get_the_whole_trial(per_token):
    machine = Machine(per_token)
    used = machine.run(machine.tuner(rounds=4), 60)
    assert used[:3 + 6 + 13 + 13 + 13 + 7] == [1] * 9 + [2] * 13 + [1] * 13 + [2] * 13 + [1] * 7


def test_one_candidate_means_no_trial():
    machine = Machine({3: 10e-6})
    tuner = machine.tuner(candidates=(3,))
    assert machine.run(tuner, 10) == [3] * 10 and machine.sets == [3] and not machine.choices


@pytest.mark.parametrize("fixed", [False, True])
def test_a_cpu_run_measures_its_thread_count_unless_it_is_fixed(tmp_path, monkeypatch, fixed):
    import torch

    from core.train import session
    from tests.conftest import train_preset

    from core.train import cpu_threads

    monkeypatch.setattr(cpu_threads, "thread_candidates", lambda physical=None, usable=None: [1, 2])
    before = torch.get_num_threads()
    try:
        sets = ["max_steps=70", "logging_steps=5", "eval_steps=70", "save_steps=70"] + (["cpu_threads=1"] if fixed else [])   # a trial: ~55 steps
        summary, rec = train_preset("demo", tmp_path / "run", sets=sets)
    finally:
        torch.set_num_threads(before)
    assert summary["status"] == "completed"
    notes = [e.message for e in rec.of("status") if e.status == "note"]
    measured = [n for n in notes if n.startswith("torch uses ")]
    if fixed:
        assert "1 CPU thread for torch (device.cpu_threads; default: all physical cores but one)" in notes
        assert not measured
    else:
        assert "1 or 2 CPU threads for torch, whichever measures faster during the run (device.cpu_threads fixes the number)" in notes
        assert len(measured) >= 1 and "ms per 1000 tokens" in measured[0] and "1: " in measured[0] and "2: " in measured[0]
