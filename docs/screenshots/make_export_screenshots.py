"""Screenshots of the Export dialog in English and Chinese: choosing GGUF q8_0, and an Ollama export finished
with the `ollama create` command shown. The run is a short LoRA SFT run on a tiny Llama with a SmolLM2-style
tokenizer (tests/core/export_support.py), so the GGUF conversion is the real one.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_export_screenshots.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from make_screenshots import pump  # noqa: E402


def shoot(language: str, run: Path) -> None:
    from core.machine.fakes import fake_probe
    from gui.app import build_main_window, ensure_app
    from gui.qt_export import ExportDialog

    ensure_app()
    suffix = "en" if language == "en" else "zh"
    window = build_main_window(fake_probe("laptop-4060-8gb"), language=language)   # installs the translator
    dialog = ExportDialog(str(run), parent=window)
    dialog.show()
    formats = [dialog.formatBox.itemData(i) for i in range(dialog.formatBox.count())]
    dialog.formatBox.setCurrentIndex(formats.index("gguf"))
    dialog.precisionBox.setCurrentIndex(2)   # q8_0
    pump(0.5)
    dialog.grab().save(str(HERE / f"export-gguf-{suffix}.png"))
    dialog.formatBox.setCurrentIndex(formats.index("ollama"))
    dialog.outEdit.setText(str(run / "export" / f"ollama-{suffix}"))
    dialog.exportButton.click()
    end = time.monotonic() + 120
    while dialog.running and time.monotonic() < end:
        pump(0.1)
    pump(0.5)
    dialog.grab().save(str(HERE / f"export-ollama-done-{suffix}.png"))
    dialog.close()
    window.close()
    window.shutdown()


def main() -> int:
    if len(sys.argv) == 3:
        shoot(sys.argv[1], Path(sys.argv[2]))
        return 0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tests.core.export_support import lora_run, tiny_causal

    with tempfile.TemporaryDirectory() as tmp:
        run = lora_run(tiny_causal(Path(tmp) / "smollm2-tiny", "llama"), Path(tmp) / "20261201-2100-sft-smollm2-lora")
        for language in ("en", "zh_CN"):   # one process each: a clean app per language
            subprocess.run([sys.executable, __file__, language, str(run)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
