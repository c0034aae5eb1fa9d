"""kill -9 during an ingest: the index that served before still serves, unchanged, and the
next ingest completes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import build
from index.embedders import create_embedder
from index.engine import Engine, Options
from tests.bench.generate import generate

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "corpus"
QUESTIONS = ["Sở nào bố trí kinh phí?", "so nao bo tri kinh phi", "Sở KH&CN phải làm gì?"]


def answers(engine: Engine) -> list[list[str]]:
    return [[h.clause.id for h in engine.search(q, 5)] for q in QUESTIONS]


def test_kill_9_mid_ingest_leaves_the_previous_index_serving(tmp_path):
    e5 = create_embedder("e5")
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    shutil.copytree(CORPUS, corpus)
    build(data, corpus, e5)
    before_manifest = (data / "manifest.json").read_text()
    before = answers(Engine.open(Options(data, corpus), e5))

    generate(corpus, 400, seed=7)  # enough new clauses that embedding takes a while
    env = {**os.environ, "TRACUU_DATA_DIR": str(data), "TRACUU_CORPUS_DIR": str(corpus)}
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "ingest"], env=env,
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
    assert answers(Engine.open(Options(data, corpus), e5)) == before

    # The next ingest cleans up the half-written generation and publishes a complete one.
    done = subprocess.run([sys.executable, "-m", "service.cli", "ingest"], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-500:]
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["generation"] != json.loads(before_manifest)["generation"]
    assert sorted(p.name for p in (data / "gen").iterdir()) == sorted({manifest["generation"], json.loads(before_manifest)["generation"]})
    after = Engine.open(Options(data, corpus), e5)
    assert len(after.documents) > 1 and answers(after)[0][0].endswith("#III.8")
