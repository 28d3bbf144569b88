"""Screenshots of the Try it panel (NER, classification, SFT chat) and of Compare, in English and Chinese.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_try_screenshots.py

Trains the three demo presets on the CPU into a temporary folder (a few minutes on two cores), then opens the
panel on each run, asks it something and saves try-{ner,cls,chat,compare}-{en,zh}.png here.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pump_until(predicate, timeout: float = 300.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if predicate():
            return
        time.sleep(0.02)
    raise TimeoutError("the panel did not answer in time")


def train(work: Path) -> dict[str, Path]:
    from core.config.presets import resolve
    from core.machine.fakes import fake_probe
    from core.train import session

    runs = {}
    for name, preset, sets in (("ner", "demo-ner", ["max_steps=100"]), ("cls", "demo", []), ("sft", "demo-sft", [])):
        resolved = resolve(preset, sets=sets, env={}, dotenv=None)
        session.run(resolved.config, None, None, run_dir=work / name, preset_path=resolved.preset_path,
                    sources=resolved.sources, hardware=fake_probe("cpu-only"))
        runs[name] = work / name
        print(f"trained {name}", file=sys.stderr)
    return runs


def shoot(runs: dict[str, Path], language: str) -> None:
    from gui.app import app_translations, ensure_app
    from gui.qt_try import TryDialog

    app = ensure_app()
    translations = app_translations(app)
    translations.install(language)
    suffix = "en" if language == "en" else "zh"

    def open_dialog(path: Path) -> TryDialog:
        dialog = TryDialog(str(path))
        dialog.resize(900, 620)
        dialog.show()
        pump_until(lambda: dialog.task is not None)
        return dialog

    dialog = open_dialog(runs["ner"])
    dialog.inputEdit.setPlainText("华为公司的张伟在北京发布了新手机。")
    dialog.predictButton.click()
    pump_until(lambda: not dialog.busy)
    dialog.grab().save(str(HERE / f"try-ner-{suffix}.png"))
    dialog.tabs.setCurrentIndex(1)
    dialog.compareInput.setText("华为公司的张伟在北京发布了新手机。")
    dialog.compareButton.click()
    pump_until(lambda: not dialog.busy)
    dialog.grab().save(str(HERE / f"try-compare-{suffix}.png"))
    dialog.close()

    dialog = open_dialog(runs["cls"])
    dialog.inputEdit.setPlainText("明天下午会刮风下雨，气温降低")
    dialog.predictButton.click()
    pump_until(lambda: not dialog.busy)
    dialog.grab().save(str(HERE / f"try-cls-{suffix}.png"))
    dialog.close()

    dialog = open_dialog(runs["sft"])
    for message in ("reverse abcd", "upper cgd"):
        dialog.messageEdit.setText(message)
        dialog.sendButton.click()
        pump_until(lambda: not dialog.busy)
    dialog.grab().save(str(HERE / f"try-chat-{suffix}.png"))
    dialog.close()
    print(f"{language}: saved", file=sys.stderr)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        runs = train(Path(tmp))
        for language in ("en", "zh_CN"):
            shoot(runs, language)
    return 0


if __name__ == "__main__":
    sys.exit(main())
