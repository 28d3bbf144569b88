"""The guard's rules: pause/resume/stop with hysteresis, driven by a fake clock. No GPU, no threads."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.config.schema import GuardSection
from core.record.events import GuardAction, Sample
from core.machine.guard import MIB, Guard
from core.machine.sensors import load_trace

TRACES = Path(__file__).resolve().parents[1] / "fixtures" / "traces"


class FakeClock:
    def __init__(self, t: float = 0.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def make_guard(**overrides: object) -> tuple[Guard, FakeClock]:
    clock = FakeClock()
    return Guard(GuardSection(**overrides), clock=clock, platform="linux"), clock


def summary(actions: list[GuardAction]) -> list[tuple[str, str]]:
    return [(a.action, a.rule) for a in actions]


# ---------------------------------------------------------------------- GPU temperature
def test_gpu_temp_hysteresis_84_86_80_74() -> None:
    guard, _ = make_guard()
    assert guard.observe(Sample(gpu_temp_c=84)) == []
    assert guard.state == "run"

    [pause] = guard.observe(Sample(gpu_temp_c=86))
    assert (pause.action, pause.rule, pause.value, pause.threshold) == ("pause", "gpu_temp", 86, 85)
    assert pause.message == "GPU 86 °C ≥ 85 °C: paused; resumes below 75 °C"
    assert guard.state == "paused"
    assert guard.active_pause_rules == ("gpu_temp",)

    assert guard.observe(Sample(gpu_temp_c=80)) == []   # between the thresholds: still paused
    assert guard.observe(Sample(gpu_temp_c=75)) == []   # "below 75" is strict
    assert guard.state == "paused"

    [resume] = guard.observe(Sample(gpu_temp_c=74))
    assert (resume.action, resume.rule, resume.value, resume.threshold) == ("resume", "gpu_temp", 74, 75)
    assert resume.message == "GPU back to 74 °C < 75 °C: resumed"
    assert guard.state == "run"
    assert guard.active_pause_rules == ()
    assert guard.paused_since is None


def test_messages_in_the_documented_style() -> None:
    guard, _ = make_guard()
    assert guard.observe(Sample(gpu_temp_c=88))[0].message == "GPU 88 °C ≥ 85 °C: paused; resumes below 75 °C"
    assert guard.observe(Sample(gpu_temp_c=86)) == []   # already paused by this rule: no repeat
    assert guard.observe(Sample(gpu_temp_c=93))[0].message == \
        "GPU 93 °C ≥ 92 °C: critical; saving a checkpoint and stopping"


def test_trigger_at_exactly_the_threshold() -> None:
    guard, _ = make_guard()
    assert summary(guard.observe(Sample(gpu_temp_c=85))) == [("pause", "gpu_temp")]


def test_critical_temperature_stops_from_run_and_ends_the_guard() -> None:
    guard, _ = make_guard()
    [stop] = guard.observe(Sample(gpu_temp_c=93))   # stop wins over the pause it also exceeds
    assert (stop.action, stop.rule, stop.value, stop.threshold) == ("stop", "gpu_temp_critical", 93, 92)
    assert guard.state == "stopped"
    assert guard.observe(Sample(gpu_temp_c=60)) == []
    assert guard.observe(Sample(gpu_temp_c=99, on_ac=False, battery_pct=5)) == []
    assert guard.state == "stopped"


def test_critical_temperature_while_paused() -> None:
    guard, _ = make_guard()
    guard.observe(Sample(gpu_temp_c=86))
    assert summary(guard.observe(Sample(gpu_temp_c=92))) == [("stop", "gpu_temp_critical")]
    assert guard.state == "stopped"
    assert guard.paused_since is None and guard.active_pause_rules == ()


def test_step_is_left_for_the_caller() -> None:
    guard, _ = make_guard()
    [pause] = guard.observe(Sample(step=7, gpu_temp_c=90))
    assert pause.step == 0


def test_a_reading_just_under_the_threshold_is_shown_with_a_decimal() -> None:
    guard, _ = make_guard()
    guard.observe(Sample(gpu_temp_c=88))
    [resume] = guard.observe(Sample(gpu_temp_c=74.6))
    assert resume.message == "GPU back to 74.6 °C < 75 °C: resumed"


# ---------------------------------------------------------------------- VRAM and RAM
def test_vram_pause_frees_cache_and_resumes_under_90() -> None:
    guard, _ = make_guard()
    assert guard.observe(Sample(vram_used_frac=0.94)) == []
    [pause] = guard.observe(Sample(vram_used_frac=0.96))
    assert (pause.action, pause.rule, pause.value, pause.threshold) == ("pause", "vram", 0.96, 0.95)
    assert pause.message == "VRAM 96 % ≥ 95 %: paused and freeing the CUDA cache; resumes below 90 %"
    assert guard.observe(Sample(vram_used_frac=0.92)) == []
    [resume] = guard.observe(Sample(vram_used_frac=0.88))
    assert resume.message == "VRAM back to 88 % < 90 %: resumed"
    assert guard.state == "run"


def test_vram_cached_by_this_run_is_not_pressure() -> None:
    """A run that fits sits at 97 % NVML "used" with 1 GiB of its own cache: no pause, so no
    pause / free-cache / resume / refill cycle every step. Other programs' memory still counts."""
    gib = 1024**3

    def reading(used_gib: float, reserved_gib: float, allocated_gib: float, **extra) -> Sample:
        return Sample(vram_used_bytes=int(used_gib * gib), vram_total_bytes=8 * gib, vram_used_frac=used_gib / 8,
                      torch_reserved_bytes=int(reserved_gib * gib), torch_allocated_bytes=int(allocated_gib * gib), **extra)

    guard, _ = make_guard()
    for _ in range(5):
        assert guard.observe(reading(7.76, reserved_gib=6.5, allocated_gib=5.5)) == []   # 97 % used, 84.5 % in use
    # Another program now holds 0.9 GiB of it (our cache down to 0.1 GiB, NVML still 97 %): 95.75 % in use,
    # pause; freeing our cache cannot bring that down, only the other program can.
    [pause] = guard.observe(reading(7.76, reserved_gib=5.6, allocated_gib=5.5))
    assert (pause.rule, round(pause.value, 4)) == ("vram", 0.9575)
    assert pause.message == "VRAM 96 % ≥ 95 %: paused and freeing the CUDA cache; resumes below 90 %"
    assert guard.observe(reading(7.66, reserved_gib=5.5, allocated_gib=5.5)) == []     # cache freed: 95.75 % still
    [resume] = guard.observe(reading(7.0, reserved_gib=5.5, allocated_gib=5.5))        # the other program quit
    assert resume.action == "resume" and resume.value == 0.875
    # A replayed reading is taken as it is, allocator figures or not.
    [pause] = guard.observe(reading(7.76, reserved_gib=6.5, allocated_gib=5.5, simulated=["vram_used_frac"]))
    assert pause.value == 0.97


def test_ram_pause_resume_and_critical_stop() -> None:
    guard, _ = make_guard()
    [pause] = guard.observe(Sample(ram_used_frac=0.91))
    assert pause.message == "RAM 91 % ≥ 90 %: paused; resumes below 85 %"
    assert guard.observe(Sample(ram_used_frac=0.87)) == []
    [resume] = guard.observe(Sample(ram_used_frac=0.84))
    assert resume.message == "RAM back to 84 % < 85 %: resumed"
    [stop] = guard.observe(Sample(ram_used_frac=0.96))
    assert (stop.action, stop.rule, stop.threshold) == ("stop", "ram_critical", 0.95)
    assert stop.message == "RAM 96 % ≥ 95 %: critical; saving a checkpoint and stopping"


def test_thresholds_come_from_the_config() -> None:
    guard, _ = make_guard(gpu_temp_pause_c=80, gpu_temp_resume_c=70.5, gpu_temp_stop_c=88)
    [pause] = guard.observe(Sample(gpu_temp_c=81))
    assert pause.message == "GPU 81 °C ≥ 80 °C: paused; resumes below 70.5 °C"
    assert guard.observe(Sample(gpu_temp_c=71)) == []
    assert summary(guard.observe(Sample(gpu_temp_c=70))) == [("resume", "gpu_temp")]
    assert summary(guard.observe(Sample(gpu_temp_c=88))) == [("stop", "gpu_temp_critical")]


# ---------------------------------------------------------------------- rules together
def test_two_rules_resume_only_when_both_cleared() -> None:
    guard, _ = make_guard()
    assert summary(guard.observe(Sample(gpu_temp_c=88, ram_used_frac=0.5))) == [("pause", "gpu_temp")]
    [second] = guard.observe(Sample(gpu_temp_c=88, ram_used_frac=0.91))
    assert (second.action, second.rule) == ("pause", "ram")
    assert guard.active_pause_rules == ("gpu_temp", "ram")

    assert guard.observe(Sample(gpu_temp_c=70, ram_used_frac=0.91)) == []   # GPU cleared, RAM holds
    assert guard.state == "paused"
    assert guard.active_pause_rules == ("ram",)

    [resume] = guard.observe(Sample(gpu_temp_c=80, ram_used_frac=0.80))   # GPU between thresholds is fine
    assert (resume.action, resume.rule) == ("resume", "ram")
    assert resume.message == "RAM back to 80 % < 85 %: resumed"
    assert guard.state == "run"


def test_two_rules_partial_clear_then_full_clear_gives_one_resume() -> None:
    guard, _ = make_guard()
    actions = guard.observe(Sample(gpu_temp_c=88, vram_used_frac=0.97))
    assert summary(actions) == [("pause", "gpu_temp"), ("pause", "vram")]
    assert guard.observe(Sample(gpu_temp_c=88, vram_used_frac=0.5)) == []
    assert guard.active_pause_rules == ("gpu_temp",)
    # GPU between the thresholds: the cleared VRAM rule does not resume the run on its own.
    assert guard.observe(Sample(gpu_temp_c=80, vram_used_frac=0.5)) == []
    [resume] = guard.observe(Sample(gpu_temp_c=72, vram_used_frac=0.5))
    assert resume.message == "GPU back to 72 °C < 75 °C: resumed"


def test_two_rules_clearing_together_give_one_resume_naming_both() -> None:
    guard, _ = make_guard()
    guard.observe(Sample(gpu_temp_c=88, ram_used_frac=0.92))
    [resume] = guard.observe(Sample(gpu_temp_c=70, ram_used_frac=0.80))
    assert (resume.action, resume.rule) == ("resume", "gpu_temp")
    assert resume.message == "GPU back to 70 °C < 75 °C; RAM back to 80 % < 85 %: resumed"


def test_a_new_rule_firing_while_another_clears_keeps_the_pause() -> None:
    guard, _ = make_guard()
    guard.observe(Sample(gpu_temp_c=88))
    assert summary(guard.observe(Sample(gpu_temp_c=70, ram_used_frac=0.91))) == [("pause", "ram")]
    assert guard.active_pause_rules == ("ram",)
    assert summary(guard.observe(Sample(gpu_temp_c=70, ram_used_frac=0.8))) == [("resume", "ram")]


# ---------------------------------------------------------------------- maximum pause
def test_max_pause_stops_after_15_minutes() -> None:
    guard, clock = make_guard()
    clock.t = 100.0
    guard.observe(Sample(gpu_temp_c=88))
    assert guard.paused_since == 100.0
    clock.t = 100.0 + 14 * 60
    assert guard.observe(Sample(gpu_temp_c=86)) == []
    clock.t = 100.0 + 15 * 60
    [stop] = guard.observe(Sample(gpu_temp_c=86))
    assert (stop.action, stop.rule, stop.value, stop.threshold) == ("stop", "max_pause", 15, 15)
    assert stop.message == "Paused for 15 min (maximum 15 min): saving a checkpoint and stopping"
    assert guard.state == "stopped"


def test_max_pause_counts_from_the_first_rule_and_restarts_after_a_resume() -> None:
    guard, clock = make_guard(max_pause_minutes=10)
    guard.observe(Sample(gpu_temp_c=88))
    clock.t = 300
    guard.observe(Sample(gpu_temp_c=88, ram_used_frac=0.92))   # a second rule does not restart the clock
    assert guard.paused_since == 0
    clock.t = 400
    guard.observe(Sample(gpu_temp_c=70, ram_used_frac=0.5))    # resumed
    clock.t = 500
    guard.observe(Sample(gpu_temp_c=88))                        # a new pause
    clock.t = 500 + 9 * 60
    assert guard.observe(Sample(gpu_temp_c=88)) == []
    clock.t = 500 + 10 * 60
    assert summary(guard.observe(Sample(gpu_temp_c=88))) == [("stop", "max_pause")]


def test_max_pause_applies_even_when_readings_go_missing() -> None:
    guard, clock = make_guard()
    guard.observe(Sample(gpu_temp_c=88))
    clock.t = 15 * 60
    assert summary(guard.observe(Sample())) == [("stop", "max_pause")]


# ---------------------------------------------------------------------- missing readings
def test_missing_readings_never_trigger() -> None:
    guard, _ = make_guard()
    assert guard.observe(Sample()) == []
    assert guard.observe(Sample(on_ac=None, battery_pct=5, swap_used_bytes=None)) == []
    assert guard.state == "run"


def test_missing_readings_never_clear() -> None:
    guard, _ = make_guard()
    guard.observe(Sample(gpu_temp_c=88, vram_used_frac=0.97))
    assert guard.observe(Sample(gpu_temp_c=None, vram_used_frac=None)) == []
    assert guard.observe(Sample(gpu_temp_c=math.nan, vram_used_frac=0.5)) == []
    assert guard.state == "paused"
    assert guard.active_pause_rules == ("gpu_temp",)


def test_nan_is_no_reading() -> None:
    guard, _ = make_guard()
    assert guard.observe(Sample(gpu_temp_c=math.nan, ram_used_frac=math.nan, vram_used_frac=math.nan)) == []
    assert guard.state == "run"


# ---------------------------------------------------------------------- battery
def test_on_battery_warns_once_and_again_after_replugging() -> None:
    guard, _ = make_guard()
    assert guard.observe(Sample(on_ac=True, battery_pct=100)) == []
    [warn] = guard.observe(Sample(on_ac=False, battery_pct=64))
    assert (warn.action, warn.rule, warn.value) == ("warn", "on_battery", 64)
    assert warn.message == ("On battery (64 %): keep the charger connected; "
                            "a laptop on battery throttles and may shut down")
    assert guard.observe(Sample(on_ac=False, battery_pct=60)) == []
    assert guard.observe(Sample(on_ac=None, battery_pct=60)) == []     # unknown: no change
    assert guard.observe(Sample(on_ac=False, battery_pct=59)) == []
    assert guard.observe(Sample(on_ac=True, battery_pct=70)) == []
    assert summary(guard.observe(Sample(on_ac=False, battery_pct=70))) == [("warn", "on_battery")]
    assert guard.state == "run"


def test_on_battery_without_a_percentage() -> None:
    guard, _ = make_guard()
    [warn] = guard.observe(Sample(on_ac=False))
    assert warn.message.startswith("On battery: keep the charger connected")


def test_battery_low_stops_only_on_battery() -> None:
    guard, _ = make_guard()
    assert guard.observe(Sample(on_ac=True, battery_pct=10)) == []       # charging
    assert guard.observe(Sample(on_ac=None, battery_pct=10)) == []       # unknown: never a stop
    assert summary(guard.observe(Sample(on_ac=False, battery_pct=20))) == [("warn", "on_battery")]
    [stop] = guard.observe(Sample(on_ac=False, battery_pct=19))
    assert (stop.action, stop.rule, stop.value, stop.threshold) == ("stop", "battery", 19, 20)
    assert stop.message == "Battery 19 % < 20 %: saving a checkpoint and stopping"
    assert guard.state == "stopped"


def test_battery_warning_can_be_switched_off_but_the_stop_stays() -> None:
    guard, _ = make_guard(warn_on_battery=False)
    assert guard.observe(Sample(on_ac=False, battery_pct=64)) == []
    assert summary(guard.observe(Sample(on_ac=False, battery_pct=12))) == [("stop", "battery")]


# ---------------------------------------------------------------------- swap
def test_swap_growth_warns_once() -> None:
    guard, _ = make_guard()
    base = 1000 * MIB
    assert guard.observe(Sample(swap_used_bytes=None)) == []
    assert guard.observe(Sample(swap_used_bytes=base)) == []            # the baseline
    assert guard.observe(Sample(swap_used_bytes=base + 256 * MIB)) == []
    [warn] = guard.observe(Sample(swap_used_bytes=base + 300 * MIB))
    assert (warn.action, warn.rule, warn.value, warn.threshold) == ("warn", "swap", 300 * MIB, 256 * MIB)
    assert warn.message.startswith("Swap use grew by 300 MiB since the start: memory pressure")
    assert guard.observe(Sample(swap_used_bytes=base + 900 * MIB)) == []
    assert guard.state == "run"


def test_swap_growth_with_full_vram_on_windows_names_the_shared_memory_spill() -> None:
    guard = Guard(GuardSection(), clock=FakeClock(), platform="win32")
    guard.observe(Sample(swap_used_bytes=0, vram_used_frac=0.80))
    [warn] = guard.observe(Sample(swap_used_bytes=512 * MIB, vram_used_frac=0.93))
    assert "VRAM is 93 % full: memory pressure" in warn.message
    assert "shared system memory" in warn.message and "100x slower" in warn.message


def test_disabled_guard_decides_nothing() -> None:
    guard, _ = make_guard(enabled=False)
    assert guard.observe(Sample(gpu_temp_c=99, ram_used_frac=0.99, on_ac=False, battery_pct=3)) == []
    assert guard.state == "run"


# ---------------------------------------------------------------------- fixture traces
def replay(name: str, step_s: float = 1.0, **cfg: object) -> list[tuple[float, str, str, str]]:
    trace = load_trace(TRACES / name)
    clock = FakeClock()
    guard = Guard(GuardSection(**cfg), clock=clock, platform="linux")
    out = []
    for t, sample in trace.replay(step_s, until=trace.duration + 10):
        clock.t = t
        out += [(t, a.action, a.rule, a.message) for a in guard.observe(sample)]
    return out


@pytest.mark.parametrize("name, expected", [
    ("hot_gpu.jsonl", [(40, "pause", "gpu_temp"), (90, "resume", "gpu_temp")]),
    ("vram_full.jsonl", [(30, "pause", "vram"), (60, "resume", "vram")]),
    ("ram_full.jsonl", [(20, "pause", "ram"), (40, "resume", "ram"), (50, "pause", "ram"),
                        (60, "stop", "ram_critical")]),
    ("on_battery.jsonl", [(10, "warn", "on_battery"), (60, "stop", "battery")]),
    ("critical_heat.jsonl", [(20, "pause", "gpu_temp"), (40, "stop", "gpu_temp_critical")]),
    ("long_pause.jsonl", [(10, "pause", "gpu_temp"), (910, "stop", "max_pause")]),
])
def test_fixture_traces_drive_the_guard_as_documented(name: str, expected: list[tuple[float, str, str]]) -> None:
    assert [(t, action, rule) for t, action, rule, _ in replay(name)] == expected


def test_hot_gpu_trace_messages() -> None:
    assert [m for *_, m in replay("hot_gpu.jsonl")] == [
        "GPU 86 °C ≥ 85 °C: paused; resumes below 75 °C", "GPU back to 74 °C < 75 °C: resumed"]


# ---------------------------------------------------------------------- properties
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(min_value=20, max_value=91.9)), max_size=60))
def test_gpu_temp_decisions_follow_the_thresholds(temps: list[float | None]) -> None:
    guard, clock = make_guard(max_pause_minutes=1000)
    for i, temp in enumerate(temps):
        clock.t = float(i)
        was = guard.state
        actions = guard.observe(Sample(gpu_temp_c=temp))
        if was == "run":
            expect_pause = temp is not None and temp >= 85
            assert summary(actions) == ([("pause", "gpu_temp")] if expect_pause else [])
        else:
            expect_resume = temp is not None and temp < 75
            assert summary(actions) == ([("resume", "gpu_temp")] if expect_resume else [])
        assert guard.state == ("paused" if guard.active_pause_rules else "run")
