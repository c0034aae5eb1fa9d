"""The data dir: one manifest naming the generation that serves, and the generations.

::

    data/
      manifest.json              the generation in service, its embedder, documents and inputs
      gen/<generation>/docs/     one JSON document tree per document (a kept one linked from the last generation)
      gen/<generation>/units.json   one record per unit (clause id, path, context, text, hash)
      gen/<generation>/vectors.npy  the units' vectors, row for row (re-used by the next build)
      gen/<generation>/lexical/     the units' terms as ids, BM25 over them (index.retrieval.lexical)
      gen/<generation>/restore.json the corpus's spellings, for queries typed without marks
      gen/<generation>/catalog.yaml, agencies.yaml   the copies it was built with (index.build.inputs)
      chroma/                    embedded Chroma (absent in server mode): the index's one collection
                                 per embedder, each embedded text's vector once, under its hash
      index-id                   names this index's collections on a shared Chroma server

A build writes a whole new generation beside the one in service, then swaps the
manifest with ``os.replace`` (atomic on POSIX). A build that fails or is killed
leaves the old manifest, so the previous index keeps serving.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from ingest.models import Document

MANIFEST = "manifest.json"
VECTORS = "vectors.npy"
RESTORE = "restore.json"


def read_manifest(data_dir: Path) -> dict | None:
    p = data_dir / MANIFEST
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
    p = data_dir / "index-id"
    if not p.exists():
        p.write_text(uuid.uuid4().hex, encoding="utf-8")  # under the build lock
    return p.read_text(encoding="utf-8").strip()


def gen_dir(data_dir: Path, generation: str) -> Path:
    return data_dir / "gen" / generation


def load_document(data_dir: Path, generation: str, doc_id: str) -> Document:
    p = gen_dir(data_dir, generation) / "docs" / f"{doc_id}.json"
    return Document.from_dict(json.loads(p.read_text(encoding="utf-8")))


def load_units(data_dir: Path, generation: str) -> list[dict]:
    return json.loads((gen_dir(data_dir, generation) / "units.json").read_text(encoding="utf-8"))


def prune(data_dir: Path, keep: set[str]) -> list[str]:
    """Remove generation folders not in ``keep``; return their names."""
    root = data_dir / "gen"
    gone = []
    for p in root.iterdir() if root.exists() else []:
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p.name)
    return gone
