"""Start-up and exit of a `laptune train` process: import only what its run needs, skip the teardown.

transformers' Trainer imports peft (and, through peft, bitsandbytes and torch's inductor compiler) and
`datasets` (and, through it, pandas) whenever they are installed, whether the run uses them or not:
about 2 s of a NER or classification run's start-up on a laptop CPU (docs/benchmarks.md); its model
code imports scipy.optimize (0.3 s) for object-detection losses. LapTune's NER and classification runs
use none of them; an SFT run uses peft only with LoRA/QLoRA; our data readers import `datasets`
themselves when a file needs it. transformers has no switch for this, so for a process
that runs a single training (the `laptune train` / `laptune resume` commands, not the desktop app, which
may run a LoRA run after a NER run in the same process) we tell transformers' availability checks that
these packages are absent, before the Trainer module is imported.

This must happen before `transformers.trainer` is imported: the Trainer binds `PeftModel` at import time
only when peft is available, and checks availability again at run time. Once the Trainer module is
loaded nothing is changed (`trim()` returns an empty list).
"""
from __future__ import annotations

import sys
from typing import Any, NoReturn

_enabled = False


def enable_for_this_process() -> None:
    """Called by the command line for a process that runs one training and exits."""
    global _enabled
    _enabled = True


def unneeded_packages(cfg: Any) -> list[str]:
    """Packages transformers would import that this run does not use."""
    names = ["datasets", "scipy"]
    if not cfg.lora.enabled:
        names.append("peft")
    return names


def trim(cfg: Any) -> list[str]:
    """Hide `unneeded_packages(cfg)` from transformers' availability checks; returns the names hidden."""
    if not _enabled or "transformers.trainer" in sys.modules:
        return []
    import transformers.utils as tf_utils
    import transformers.utils.import_utils as tf_import_utils

    hidden = []
    for name in unneeded_packages(cfg):
        check = f"is_{name}_available"
        if name in sys.modules or not hasattr(tf_import_utils, check):
            continue   # already imported by someone else (no time to save), or a transformers without the check

        def absent() -> bool:
            return False

        for module in (tf_import_utils, tf_utils):
            if hasattr(module, check):
                setattr(module, check, absent)
        hidden.append(name)
    return hidden


def is_enabled() -> bool:
    return _enabled


def leave(code: int) -> NoReturn:
    """End a `laptune train`/`resume` process now that its run is saved and its output written.

    Python's own exit then frees every object of torch and transformers one by one: ~1.5 s of a
    30 s run (docs/benchmarks.md) in which the command has finished but the prompt has not come
    back. What must happen at exit still happens: the atexit handlers (logging's flush, multiprocessing's
    queues) run and the standard streams are flushed; then the process ends without the teardown."""
    import atexit
    import os

    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is not None:
        run_exit_functions()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe or stream: nothing left to write to
            pass
    os._exit(code)
