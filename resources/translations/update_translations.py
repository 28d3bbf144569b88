"""Refresh the translation sources from gui/ and compile them: python resources/translations/update_translations.py

pyside6-lupdate collects every tr() string of gui/*.py into laptune_zh_CN.ts, keeping existing translations;
translate the new entries (Qt Linguist: pyside6-linguist, or any editor), then this script compiles the
.qm files the app loads. English is the source language and needs no file.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def main(compile_only: bool = False) -> int:
    sources = sorted(str(p) for p in (ROOT / "gui").glob("*.py"))
    for lang in LANGUAGES:
        ts = HERE / f"laptune_{lang}.ts"
        if not compile_only:
            subprocess.run([tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)], check=True)
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(HERE / f"laptune_{lang}.qm")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(compile_only="--compile-only" in sys.argv))
