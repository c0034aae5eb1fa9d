"""The data dir's manifest and generations: read, written atomically, pruned.

Where each file lies is ``index.build.layout``'s. A build writes a whole new generation beside
the one in service, then swaps the manifest with ``os.replace`` (atomic on POSIX). A build that
fails or is killed leaves the old manifest, so the previous index keeps serving.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from index.build.layout import MANIFEST as MANIFEST  # re-exported: the server's watcher reads it from here
from index.build.layout import DataDir
from ingest.models import Document


def read_manifest(data_dir: Path) -> dict | None:
    p = DataDir(data_dir).manifest
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def write_json_atomic(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def index_id(data_dir: Path) -> str:
    """This data dir's id, made on first use. Its collections carry it, so a build prunes
    only its own old collections on a Chroma server that other indexes share."""
    p = DataDir(data_dir).index_id
    if not p.exists():
        p.write_text(uuid.uuid4().hex, encoding="utf-8")  # under the build lock
    return p.read_text(encoding="utf-8").strip()


def load_document(data_dir: Path, generation: str, doc_id: str) -> Document:
    p = DataDir(data_dir).generation(generation).doc(doc_id)
    return Document.from_dict(json.loads(p.read_text(encoding="utf-8")))


def load_units(data_dir: Path, generation: str) -> list[dict]:
    return json.loads(DataDir(data_dir).generation(generation).units.read_text(encoding="utf-8"))


def prune(data_dir: Path, keep: set[str]) -> list[str]:
    """Remove generation folders not in ``keep``; return their names."""
    root = DataDir(data_dir).generations
    gone = []
    for p in root.iterdir() if root.exists() else []:
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p.name)
    return gone
