"""What the terminal shows: our messages only (library warnings go to the run's library.log unless --verbose), a
closed pipe ends quietly, and `laptune detect` says plainly when the NVIDIA GPU is there but PyTorch is the CPU build."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import warnings

from tests.conftest import ROOT

LIBRARY_LINES = re.compile(r"Failed to load CPU gemm_4bit|FutureWarning|DeprecationWarning|UserWarning|warnings\.warn|"
                           r"LOAD REPORT|\[transformers\]|kernels-community|Traceback")


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONWARNINGS": "default"}


def test_cli_demo_output_has_no_library_warning_lines(tmp_path, tiny_models):
    run = tmp_path / "run"
    # The NER demo on saved weights whose pooler the CRF model leaves out: transformers prints a load report.
    proc = subprocess.run([sys.executable, "-m", "core.cli.main", "train", "--preset", "demo-ner", "--out", str(run),
                           "--model", str(tiny_models["bert"]), "--set", "max_steps=2", "--set", "eval_steps=2",
                           "--set", "save_steps=2"], capture_output=True, text=True, timeout=300, cwd=ROOT, env=_env())
    assert proc.returncode == 0, proc.stderr
    output = proc.stdout + proc.stderr
    assert not [line for line in output.splitlines() if LIBRARY_LINES.search(line)], output
    assert "Run completed at step 2" in proc.stdout and "Started: demo-ner" in proc.stdout   # our own messages stay
    assert "LOAD REPORT" in (run / "library.log").read_text(encoding="utf-8")   # where the libraries' lines went


def test_library_noise_goes_to_the_file_and_ours_stays(tmp_path, capsys, monkeypatch, caplog):
    from core.record import noise

    shown: list[str] = []
    noise.restore()   # first: an earlier in-process `main()` quieted the libraries, and restore() resets showwarning
    monkeypatch.setattr(warnings, "showwarning", lambda message, *args, **kwargs: shown.append(str(message)))
    try:
        noise.quiet_libraries()
        logging.getLogger("bitsandbytes.backends.cpu.ops").warning("Failed to load CPU gemm_4bit_forward (test)")
        warnings.warn_explicit("renamed argument (test)", FutureWarning, "/site-packages/transformers/x.py", 1)
        warnings.warn_explicit("our own warning (test)", UserWarning, str(ROOT / "core" / "train" / "session.py"), 1)
        noise.attach(tmp_path / "library.log")
        logging.getLogger("transformers.trainer").warning("after attach (test)")
        err = capsys.readouterr().err
        assert "gemm_4bit" not in err and "renamed argument" not in err and "after attach" not in err
        assert shown == ["our own warning (test)"]   # ours is shown as Python shows warnings; the libraries' are not
        text = (tmp_path / "library.log").read_text(encoding="utf-8")
        assert "Failed to load CPU gemm_4bit_forward (test)" in text and "FutureWarning" in text and "after attach" in text
    finally:
        noise.restore()
    logging.getLogger("bitsandbytes").warning("verbose again (test)")   # restored: the library logs as usual
    assert "verbose again (test)" in caplog.text


def test_a_closed_pipe_ends_quietly(tmp_path):
    read, write = os.pipe()
    os.close(read)   # the reader is gone before anything is written, as `| head -1` after its line
    try:
        proc = subprocess.run([sys.executable, "-m", "core.cli.main", "presets", "--json"], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT, env=_env())
    finally:
        os.close(write)
    assert proc.returncode == 141 and proc.stderr == ""


def test_detect_says_when_the_gpu_is_there_but_torch_is_the_cpu_build(monkeypatch, capsys):
    import core.machine.hardware
    from core.cli import main as cli
    from core.machine.fakes import fake_probe

    monkeypatch.setattr(core.machine.hardware, "probe", lambda with_torch=False: fake_probe("laptop-3050-4gb"))
    monkeypatch.setattr(cli, "torch_build", lambda: ("2.13.0+cpu", None))
    assert cli.main(["detect"]) == 0
    out = capsys.readouterr().out
    assert "Warning: an NVIDIA GPU is here, but the installed PyTorch (2.13.0+cpu) is the CPU build" in out
    assert "make run CUDA=1" in out
    monkeypatch.setattr(cli, "torch_build", lambda: ("2.13.0+cu126", "12.6"))
    cli.main(["detect"])
    assert "CPU build" not in capsys.readouterr().out
    monkeypatch.setattr(core.machine.hardware, "probe", lambda with_torch=False: fake_probe("cpu-only"))
    monkeypatch.setattr(cli, "torch_build", lambda: ("2.13.0+cpu", None))
    cli.main(["detect"])
    assert "CPU build" not in capsys.readouterr().out   # no NVIDIA GPU: the CPU build is right


def test_torch_build_is_read_without_importing_torch():
    from core.cli.main import torch_build

    version, cuda = torch_build()
    import torch

    assert version == torch.__version__ and cuda == torch.version.cuda
