"""Uploads staged until published: an upload waits in a staging folder of its process
(``corpus/.staging/<process>/``, which corpus scans skip) while its generation is built, and
becomes corpus only once that generation is published and holds these very bytes under this
name (``stage``, then ``settle``). A server that starts settles what a killed one left there
(``settle_staged``): published, into the corpus; else deleted. Kept apart from the upload
routes (``service.uploads``) because start-up calls it too, and it is the one place a file
moves into the corpus.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from index.build.builder import corpus_files
from index.build.store import read_manifest
from ingest.pipeline import sha256
from service import versions
from service.lease import alive
from service.settings import Settings

STAGING = ".staging"  # in the corpus dir; hidden, so corpus scans skip it

log = logging.getLogger(__name__)


def _indexed(data_dir: Path, name: str, data: bytes) -> bool:
    """Whether the generation in the manifest holds ``data`` as the file ``name``."""
    digest = sha256(data)
    documents = (read_manifest(data_dir) or {}).get("documents", {})
    return any(m.get("file") == name and m.get("sha256") == digest for m in documents.values())


def stage(corpus_dir: Path, name: str, data: bytes) -> Path:
    """Write the upload into this process's staging folder (a temp name, then a rename)."""
    folder = corpus_dir / STAGING / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    tmp, staged = folder / f".{name}.part", folder / name
    tmp.write_bytes(data)
    os.replace(tmp, staged)
    return staged


def settle(settings: Settings, staged: Path) -> None:
    """A staged file into the corpus if the published generation holds it, else deleted."""
    data = staged.read_bytes()
    target = settings.corpus_dir / staged.name
    if _indexed(settings.data_dir, staged.name, data) and not (target.exists() and target.read_bytes() == data):
        os.replace(staged, target)
    else:
        staged.unlink()


def settle_staged(settings: Settings) -> list[str]:
    """At start-up: settle the files that processes no longer running left staged (killed
    mid-upload), then name the corpus files the index does not hold (logged: they are not
    served until ``tracuu ingest`` or an upload indexes them)."""
    root = settings.corpus_dir / STAGING
    for folder in sorted(root.glob("*")) if root.is_dir() else []:
        if folder.name.isdigit() and int(folder.name) != os.getpid() and alive(int(folder.name)):
            continue  # another worker's upload under way
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                path.unlink()  # written only in part
            else:
                settle(settings, path)
                log.warning("upload left staged by a stopped process settled: %s", path.name)
        folder.rmdir()
    versions.settle_at_start(settings.data_dir, settings.corpus_dir)
    manifest = read_manifest(settings.data_dir) or {}
    held = {m.get("file") for m in manifest.get("documents", {}).values()}
    unknown = [p.name for p in corpus_files([settings.corpus_dir]) if p.name not in held] if settings.corpus_dir.is_dir() else []
    if unknown and manifest:
        log.warning("%d file(s) in %s are not in the index and are not served until `tracuu ingest` reads them: %s",
                    len(unknown), settings.corpus_dir, ", ".join(unknown[:20]))
    return unknown
