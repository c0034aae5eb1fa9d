"""What a generation is built from besides its documents, so that it is self-contained.

- The corpus's ``catalog.yaml`` and ``agencies.yaml`` are copied into the generation
  (``snapshot``); the engine reads them from there, never live from corpus/, so a server and
  a command line opened on one generation see one registry and one catalog.
- The manifest records the hashes of both files, of the analyser's data files
  (``ingest/data/*``) and code (the ``ingest`` package with its subpackages, and
  ``index/build/units.py``), and the
  underthesea version (``fingerprint``). When any of them differs from what the generation in
  service was built with (``changed``), the next build reads every document again and rebuilds
  every unit; vectors are still re-used by content hash, so nothing unchanged is embedded again.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import ingest
from index.build.layout import AGENCIES, CATALOG, Generation

SNAPSHOT = (CATALOG, AGENCIES)
INGEST_DIR = Path(ingest.__file__).parent
UNITS_CODE = Path(__file__).with_name("units.py")
MATRIX_CODE = Path(__file__).parents[1] / "matrix.py"  # the rows a generation saves (``index.build.rows``)
CODE_KEY = "code: ingest/**/*.py, index/build/units.py"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _analyser_version() -> str:
    try:
        return version("underthesea")
    except PackageNotFoundError:  # not installed: the tokeniser's fallback is in use
        return "absent"


def code_files() -> list[Path]:
    """The code a generation's documents, units and matrix rows are read by: every module of
    ``ingest``, its subpackages too (``ingest/assign``: who does what), the units' maker and the
    rows' maker (a row's fields are saved with the generation)."""
    return [*sorted(INGEST_DIR.rglob("*.py")), UNITS_CODE, MATRIX_CODE]


def _code_hash() -> str:
    h = hashlib.sha256()
    for p in code_files():
        name = p.relative_to(INGEST_DIR.parent).as_posix()
        h.update(name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def snapshot(corpus_dir: Path, out: Generation) -> dict[str, str]:
    """Copy the corpus's catalog and registry into the generation ``out``; return the
    fingerprint of everything the generation's documents and units depend on besides their files.

    Each file is read once: the copy is exactly what was hashed (an absent file stays absent)."""
    out.folder.mkdir(parents=True, exist_ok=True)
    inputs: dict[str, str] = {}
    for name, copy in ((CATALOG, out.catalog), (AGENCIES, out.agencies)):
        src = corpus_dir / name
        data = src.read_bytes() if src.is_file() else None
        if data is not None:
            copy.write_bytes(data)
        inputs[name] = _sha256(data) if data is not None else "absent"
    for p in sorted((INGEST_DIR / "data").iterdir()):
        if p.is_file():
            inputs[f"ingest/data/{p.name}"] = _sha256(p.read_bytes())
    inputs[CODE_KEY] = _code_hash()
    inputs["underthesea"] = _analyser_version()
    return inputs


def changed(manifest: dict, inputs: dict[str, str]) -> list[str]:
    """The inputs that differ from those the generation in ``manifest`` was built with.

    >>> changed({}, {"agencies.yaml": "a"})
    []
    >>> changed({"inputs": {"agencies.yaml": "a", "underthesea": "9.5.0"}}, {"agencies.yaml": "b", "underthesea": "9.5.0"})
    ['agencies.yaml']
    >>> changed({"generation": "g"}, {"agencies.yaml": "a"})
    ['chỉ mục cũ, chưa ghi đầu vào']
    """
    if not manifest:
        return []
    if "inputs" not in manifest:  # built before generations recorded their inputs
        return ["chỉ mục cũ, chưa ghi đầu vào"]
    old = manifest["inputs"]
    return [k for k in sorted(set(old) | set(inputs)) if old.get(k) != inputs.get(k)]
