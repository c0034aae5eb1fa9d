"""A generation is self-contained: it holds its own copy of the catalog and the agency
registry, its manifest records what its documents and units were made with, and a change of
any of those rebuilds it. Real builds with the real e5 embedder and embedded Chroma."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from index.build.builder import build
from index.build.inputs import CODE_KEY, code_files
from index.engine import Engine, Options

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PLAN_ID = "kh-ubnd-2024-cnsh"
ALIAS = "Sở Ngân khố Mẫu"  # an alias invented for the test
EDITS = {  # file → (text in it, the same text edited)
    "agencies.yaml": ("aliases: [STC, Department of Finance,", f"aliases: [{ALIAS}, STC, Department of Finance,"),
    "catalog.yaml": ("short: Kế hoạch triển khai Chương trình 64-CTr/TU", "short: Kế hoạch mẫu đã sửa tên"),
}


@pytest.fixture
def index(plan_engine, tmp_path) -> tuple[Path, Path]:
    """A private copy of the shared plan index and of the corpus it was built from."""
    data, corpus = tmp_path / "data", tmp_path / "corpus"
    shutil.copytree(plan_engine.options.data_dir, data)
    shutil.copytree(ROOT / "corpus", corpus)
    return data, corpus


def edit(corpus: Path, name: str, undo: bool = False) -> None:
    before, after = EDITS[name][::-1] if undo else EDITS[name]
    text = (corpus / name).read_text(encoding="utf-8")
    assert before in text
    (corpus / name).write_text(text.replace(before, after, 1), encoding="utf-8")


def seen(engine: Engine, name: str) -> bool:
    """Whether ``engine`` reads the edited version of ``name``."""
    if name == "agencies.yaml":
        found = engine.registry.resolve(ALIAS)
        return found is not None and found.id == "so-tai-chinh"
    return engine.catalog.entries[PLAN_ID].short == "Kế hoạch mẫu đã sửa tên"


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edited_registry_or_catalog_builds_a_generation_that_holds_it(index, e5, name):
    data, corpus = index
    assert build(data, corpus, e5).built is False  # the copy is what the index was built from
    edit(corpus, name)
    report = build(data, corpus, e5)
    assert report.built and report.reasons == [name] and report.embedded == 0
    engine = Engine.open(Options(data, corpus), e5)
    assert seen(engine, name)
    # The live file changes again, with no ingest: the generation keeps the version it was built with.
    edit(corpus, name, undo=True)
    assert seen(Engine.open(Options(data, corpus), e5), name)
    if name == "agencies.yaml":
        assert engine.search("Sở Ngân khố Mẫu phải làm gì?", 5)[0].clause.path.startswith("III.8")


def test_the_manifest_records_what_the_generation_was_built_with(plan_engine):
    data = plan_engine.options.data_dir
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    inputs, folder = manifest["inputs"], data / "gen" / manifest["generation"]
    for name in ("catalog.yaml", "agencies.yaml"):
        copy = (folder / name).read_bytes()
        assert copy == (ROOT / "corpus" / name).read_bytes()
        assert inputs[name] == hashlib.sha256(copy).hexdigest()
    for p in (ROOT / "ingest" / "data").iterdir():
        assert inputs[f"ingest/data/{p.name}"] == hashlib.sha256(p.read_bytes()).hexdigest()
    from importlib.metadata import version

    assert inputs["underthesea"] == version("underthesea") and len(inputs[CODE_KEY]) == 64
    # the code hash covers the subpackages: a change to who-does-what reading re-reads every document;
    # and the rows' maker, whose fields a generation saves
    covered = {p.relative_to(ROOT).as_posix() for p in code_files()}
    assert {"ingest/assign/reader.py", "ingest/assign/rows.py", "ingest/bodies.py", "index/build/units.py",
            "index/matrix.py"} <= covered


@pytest.mark.parametrize("key", ["ingest/data/expansions.txt", "underthesea", CODE_KEY])
def test_a_generation_built_with_another_analyser_is_rebuilt(index, e5, key):
    """What the manifest says the generation was built with differs from what is installed
    (as after an upgrade of underthesea or of the word lists): every document is read again
    and every unit rebuilt, and nothing is embedded again."""
    data, corpus = index
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    manifest["inputs"][key] = "another"
    (data / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    report = build(data, corpus, e5)
    assert report.built and report.reasons == [key] and report.embedded == 0
    assert [f.status for f in report.files] == ["changed"]
    assert build(data, corpus, e5).built is False
