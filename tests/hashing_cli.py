"""``python -m tests.hashing_cli <command> …``: the ``tracuu`` command line with the hashing
embedder of ``tests/bench/hashing.py`` in place of every model, for tests of plumbing (a kill
-9 mid-ingest, a build's failures and reuse, clients searching while documents are added),
not of ranking.

With e5 a batch of 64 clauses takes 3-6 s to embed on 2 cores; these tests assert what does
not depend on what the vectors mean. The index records the embedder's name, so a process
started here refuses an e5 index and an e5 process refuses one built here (``Engine.open``).
Never a product setting: only tests start this module.

``HASHING_BATCH_SECONDS`` (environment, default 0): a pause for each batch embedded, so
that a build spends seconds in its embedding step as it does with e5 and a test can kill
it there.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from tests.bench.hashing import HashEmbedder


class SlowHashEmbedder(HashEmbedder):
    def __init__(self, batch_seconds: float = 0.0):
        self.batch_seconds = batch_seconds

    def passages(self, texts: list[str]) -> np.ndarray:
        if texts and self.batch_seconds:
            time.sleep(self.batch_seconds)
        return super().passages(texts)


def hashing_embedder(kind: str = "e5", model: str | None = None) -> HashEmbedder:
    """What ``create_embedder`` returns in this process, whatever the settings name."""
    return SlowHashEmbedder(float(os.environ.get("HASHING_BATCH_SECONDS", "0")))


def install() -> None:
    """Replace the factory before the modules that import it by name are loaded (and in any already loaded)."""
    from index.retrieval import embedders

    original = embedders.create_embedder
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] in ("index", "service") and getattr(module, "create_embedder", None) is original:
            module.create_embedder = hashing_embedder


def command(hashing: bool) -> list[str]:
    """The command line that starts ``tracuu``: with the hashing embedder, or as users run it."""
    return [sys.executable, "-m", "tests.hashing_cli" if hashing else "service.cli"]


def built_by_hashing(data_dir: Path) -> bool:
    """Whether the index in ``data_dir`` was embedded here (no index yet: no)."""
    manifest = data_dir / "manifest.json"
    return manifest.exists() and json.loads(manifest.read_text(encoding="utf-8"))["embedder"] == HashEmbedder.name


if __name__ == "__main__":
    install()
    from service.cli import main

    main()
