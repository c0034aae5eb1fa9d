"""kill -9 during a real `tracuu ingest` process: the index that served before still
serves, unchanged, and the next build completes. The embedded Chroma directory is opened by
one process at a time: this one opens it only once the killed ingest is gone.

The index and the ingest use the hashing embedder (``tests/hashing_cli.py``), the ingest's
batches held 1.5 s each as e5 takes seconds on one, so the kill lands in the embedding step;
the build after it embeds the 90 clauses at once, not in e5's 5-10 s. What is compared is the
same index's answers before and after, and the plan still answering first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from index.build.builder import build
from index.engine import Engine
from tests.bench.generate import generate
from tests.bench.hashing import HashEmbedder
from tests.hashing_cli import command

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow
QUESTIONS = ["Sở nào bố trí kinh phí?", "so nao bo tri kinh phi", "Sở KH&CN phải làm gì?"]


def answers(engine: Engine) -> list[list[str]]:
    return [[h.clause.id for h in engine.search(q, 5)] for q in QUESTIONS]


def test_kill_9_mid_ingest_leaves_the_previous_index_serving(hashing_plan_settings, hashing_index_copy):
    embedder = HashEmbedder()
    settings = hashing_index_copy("crash")
    data, corpus = settings.data_dir, settings.corpus_dir
    before_manifest = (data / "manifest.json").read_text()
    # the copy's index, opened from the original (never two processes on one copy)
    before = answers(Engine.open(hashing_plan_settings.options(), embedder))

    generate(corpus, 90, seed=7)  # enough new clauses that embedding takes a few seconds
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACUU_")}
    env |= {"TRACUU_DATA_DIR": str(data), "TRACUU_CORPUS_DIR": str(corpus), "HF_HUB_OFFLINE": "1",
            "HASHING_BATCH_SECONDS": "1.5", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command(hashing=True) + ["ingest"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait until it is embedding (the progress bar says "nhúng"), then kill it outright.
    deadline, seen = time.monotonic() + 120, ""
    while time.monotonic() < deadline and "nhúng" not in seen:
        seen += proc.stderr.read(64) or ""
        if proc.poll() is not None:
            break
    assert proc.poll() is None, f"ingest ended before it could be killed: {seen[-300:]}"
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    assert (data / "manifest.json").read_text() == before_manifest
    assert answers(Engine.open(settings.options(), embedder)) == before

    # The next build cleans up the half-written generation and publishes a complete one.
    assert build(data, corpus, embedder).built
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["generation"] != json.loads(before_manifest)["generation"]
    assert sorted(p.name for p in (data / "gen").iterdir()) == sorted({manifest["generation"], json.loads(before_manifest)["generation"]})
    after = Engine.open(settings.options(), embedder)
    assert len(after.documents) > 1 and answers(after)[0][0].endswith("#III.8")
