"""Start-up: a `laptune train` process imports only what its run needs.

transformers' Trainer imports peft (and, through peft, bitsandbytes and torch's inductor compiler) and
`datasets` (and, through it, pandas) whenever they are installed, whether the run uses them or not:
about 2 s of a NER or classification run's start-up on a laptop CPU (docs/benchmarks.md). LapTune's
NER and classification runs use neither; an SFT run uses peft only with LoRA/QLoRA; our data readers
import `datasets` themselves when a file needs it. transformers has no switch for this, so for a process
that runs a single training (the `laptune train` / `laptune resume` commands, not the desktop app, which
may run a LoRA run after a NER run in the same process) we tell transformers' availability checks that
these packages are absent, before the Trainer module is imported.

This must happen before `transformers.trainer` is imported: the Trainer binds `PeftModel` at import time
only when peft is available, and checks availability again at run time. Once the Trainer module is
loaded nothing is changed (`trim()` returns an empty list).
"""
from __future__ import annotations

import sys
from typing import Any

_enabled = False


def enable_for_this_process() -> None:
    """Called by the command line for a process that runs one training and exits."""
    global _enabled
    _enabled = True


def unneeded_packages(cfg: Any) -> list[str]:
    """Packages transformers would import that this run does not use."""
    names = ["datasets"]
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
