"""Download throughput of `laptune models get` against a bare `huggingface_hub.snapshot_download` of the same
repo from the same local hub (tests/hubserver.py on 127.0.0.1): prints the ratio (target >= 0.9).

Each sample is a fresh process with an empty cache, so both pay their imports and start-up the same way,
and both sides alternate so drifts in the machine's load hit them alike. The repo holds what training
downloads: config, tokenizer files and one big safetensors file. The wall time of the child is measured
from its start to its exit. Run: python bench/download.py [--mb 512] [--runs 5] [--throttle-mbps 0]

--throttle-mbps N serves at N MB/s per connection (a slow link: both sides should then be equal).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hubserver import FakeRepo, HubServer, random_bytes  # noqa: E402

REPO = "bench/model"
BARE = "import sys; from huggingface_hub import snapshot_download; snapshot_download(sys.argv[1])"
OURS = "import sys; from core.cli.main import main; sys.exit(main(['models', 'get', sys.argv[1]]))"


def sample(code: str, url: str) -> float:
    with tempfile.TemporaryDirectory(prefix="laptune-bench-dl-") as home:
        env = {**os.environ, "HF_HOME": home, "HF_ENDPOINT": url, "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0",
               "LAPTUNE_HOME": home, "PYTHONPATH": str(ROOT), "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, REPO], env=env, cwd=home, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=512, help="size of the weights file in MB")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--throttle-mbps", type=float, default=0.0)
    args = parser.parse_args()
    weights = os.urandom(args.mb << 20)
    files = {"config.json": b'{"model_type": "bert"}', "tokenizer.json": random_bytes(2 << 20, 2),
             "tokenizer_config.json": b"{}", "vocab.txt": random_bytes(200_000, 3), "model.safetensors": weights}
    with HubServer() as server:
        server.state.add(FakeRepo(REPO, files))
        if args.throttle_mbps:
            server.state.throttle_bps = args.throttle_mbps * 1e6
        total = sum(map(len, files.values()))
        bare, ours = [], []
        for i in range(args.runs):
            for label, code, into in (("snapshot_download", BARE, bare), ("laptune models get", OURS, ours))[:: 1 if i % 2 == 0 else -1]:
                seconds = sample(code, server.url)
                into.append(seconds)
                print(f"run {i + 1} {label:20s} {seconds:6.2f} s  {total / seconds / 1e6:7.1f} MB/s", flush=True)
    mb = total / 1e6
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"\n{mb:.0f} MB, median of {args.runs}: snapshot_download {b:.2f} s ({mb / b:.1f} MB/s), "
          f"laptune models get {o:.2f} s ({mb / o:.1f} MB/s); throughput ratio {b / o:.2f} (target >= 0.9)")


if __name__ == "__main__":
    main()
