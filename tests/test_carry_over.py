"""A build that adds or changes documents carries the others over from the generation in
service: their trees are linked, their units, term ids, matrix rows and spelling counts kept,
and only the new texts' vectors are stored in the index's one Chroma collection. What it
publishes is the index a build reading every document would publish, the collection holds
each text of the generation in service once, and a failed build takes out what it stored.
Real builds with embedded Chroma; the vectors come from the hashing embedder of
``tests/bench/hashing.py`` (the index of the plan too): what is checked is which vectors are
carried, stored and taken out, and that two indexes rank alike, not what the vectors mean,
and each document added was seconds of e5."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.build.builder import build
from index.build.layout import DataDir
from index.build.store import read_manifest
from index.engine import Engine, Options
from index.retrieval.vector import VectorStore, open_client
from tests.bench.hashing import HashEmbedder

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"
ADDED = ["fixture-nghi-quyet-chinh-phu-mau.txt", "fixture-chuong-trinh-tinh-uy-mau.txt"]
QUESTIONS = ["Sở nào bố trí kinh phí?", "so nao bo tri kinh phi", "Bộ nào chủ trì xây dựng đề án?",
             "nhiệm vụ của Ban Tuyên giáo", "bảo tồn nguồn gen"]


@pytest.fixture
def embedder() -> HashEmbedder:
    return HashEmbedder()


def _add(corpus: Path, name: str):
    shutil.copy(FIXTURES / name, corpus / name)
    return corpus / name


def _stored(data: Path) -> set[str]:
    manifest = read_manifest(data)
    return VectorStore(open_client(data), manifest["collection"]).ids()


def _generation(data: Path) -> Path:
    return DataDir(data).generation(read_manifest(data)["generation"]).folder


def _same_index(a: Path, b: Path, embedder) -> None:
    """Two data dirs publish the same index: files, counts, rankings."""
    ga, gb = _generation(a), _generation(b)
    assert json.loads((ga / "units.json").read_bytes()) == json.loads((gb / "units.json").read_bytes())
    assert json.loads((ga / "matrix.json").read_bytes()) == json.loads((gb / "matrix.json").read_bytes())
    assert json.loads((ga / "restore.json").read_bytes()) == json.loads((gb / "restore.json").read_bytes())
    assert sorted(p.name for p in (ga / "docs").iterdir()) == sorted(p.name for p in (gb / "docs").iterdir())
    for p in (ga / "docs").iterdir():
        assert p.read_bytes() == (gb / "docs" / p.name).read_bytes(), p.name
    assert np.array_equal(np.load(ga / "vectors.npy"), np.load(gb / "vectors.npy"))
    ea, eb = (Engine.open(Options(d, d.parent / "corpus", query_cache=0), embedder) for d in (a, b))
    for q in QUESTIONS:
        for mode in ("hybrid", "lexical", "dense"):
            ha, hb = ea.search(q, 10, mode=mode), eb.search(q, 10, mode=mode)
            assert [h.clause.id for h in ha] == [h.clause.id for h in hb], (q, mode)
            assert np.allclose([h.score for h in ha], [h.score for h in hb]), (q, mode)


def test_a_build_that_carries_documents_over_publishes_what_reading_them_all_would(hashing_index_copy, embedder,
                                                                                   tmp_path):
    s = hashing_index_copy()
    data, corpus = s.data_dir, s.corpus_dir
    plan_file = next(iter(read_manifest(data)["documents"]))
    first = build(data, corpus, embedder, paths=[_add(corpus, ADDED[0])])
    old = _generation(data)
    changed = corpus / ADDED[0]  # and one changed: its old units' counts come out
    changed.write_text(changed.read_text(encoding="utf-8") + "\n- Một dòng thêm cho phép thử.\n", encoding="utf-8")
    second = build(data, corpus, embedder, paths=[changed, _add(corpus, ADDED[1])])
    assert first.built and second.built and second.embedded == second.stored > 0
    assert second.reused == len(json.loads((_generation(data) / "units.json").read_bytes())) - second.embedded
    # carried over, not read again: the kept trees are the same files as the old generation's
    kept = _generation(data) / "docs" / f"{plan_file}.json"
    assert os.stat(kept).st_ino == os.stat(old / "docs" / f"{plan_file}.json").st_ino
    # the same corpus read whole (an analyser version that differs forces it) stores the same index
    full = tmp_path / "full"
    shutil.copytree(data.parent, full)
    manifest = read_manifest(full / "data")
    manifest["inputs"]["underthesea"] = "another version"
    (full / "data" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    again = build(full / "data", full / "corpus", embedder)
    assert again.built and again.reasons == ["underthesea"] and again.embedded == 0
    _same_index(data, full / "data", embedder)


def test_the_collection_holds_each_text_of_the_generation_in_service_once(hashing_index_copy, embedder):
    s = hashing_index_copy()
    data, corpus = s.data_dir, s.corpus_dir
    hashes = lambda: {u["hash"] for u in json.loads((_generation(data) / "units.json").read_bytes())}
    assert _stored(data) == hashes()
    report = build(data, corpus, embedder, uploads={ADDED[0]: (FIXTURES / ADDED[0]).read_bytes()})
    assert report.stored == report.embedded and _stored(data) == hashes()
    # a document leaving the corpus takes its vectors out (once its generation is replaced)
    (corpus / ADDED[0]).unlink(missing_ok=True)
    removed = build(data, corpus, embedder)
    assert removed.built and removed.stored == 0 and _stored(data) == hashes()
    assert len(open_client(data).list_collections()) == 1


def test_an_engine_opened_before_a_build_still_answers_from_its_own_units(hashing_index_copy, embedder):
    s = hashing_index_copy()
    before = Engine.open(s.options(), embedder)
    plan = next(p for p in s.corpus_dir.iterdir() if p.suffix == ".txt")
    plan.write_text(plan.read_text(encoding="utf-8").replace("Sở Tài chính", "Sở Ngân khố", 1), encoding="utf-8")
    assert build(s.data_dir, s.corpus_dir, embedder).built
    for q in QUESTIONS:  # the vectors only it used are gone, those of the new generation are not its own
        hits = before.search(q, 10, mode="dense")
        assert hits and all(h.unit is before.units[before.searcher.row_of(h.clause.id)] for h in hits)
    assert Engine.open(s.options(), embedder).search("Sở Ngân khố", 3)


def test_a_failed_build_takes_out_the_vectors_it_stored(hashing_index_copy, embedder, monkeypatch):
    s = hashing_index_copy()
    before = _stored(s.data_dir)
    engine = Engine.open(s.options(), embedder)
    expected = [h.clause.id for h in engine.search("Sở nào bố trí kinh phí?", 5)]

    def broken(*_, **__):
        raise RuntimeError("disk full (test)")

    monkeypatch.setattr("index.build.builder.LexicalIndex.build", broken)  # after the new vectors are stored
    with pytest.raises(RuntimeError, match="disk full"):
        build(s.data_dir, s.corpus_dir, embedder, uploads={ADDED[0]: (FIXTURES / ADDED[0]).read_bytes()})
    assert _stored(s.data_dir) == before
    assert [h.clause.id for h in engine.search("Sở nào bố trí kinh phí?", 5)] == expected
    assert [h.clause.id for h in Engine.open(s.options(), embedder).search("Sở nào bố trí kinh phí?", 5)] == expected


def test_a_generation_from_before_the_shared_collection_opens_and_moves_to_it(hashing_index_copy, embedder):
    """A generation of the former layout: its own collection ``clauses-<generation>``, keyed by
    clause id with the hash in the metadata, and no ``keys`` in its manifest."""
    s = hashing_index_copy()
    data = s.data_dir
    manifest = read_manifest(data)
    units = json.loads((_generation(data) / "units.json").read_bytes())
    client = open_client(data)
    legacy = f"clauses-{manifest['generation']}"
    col = client.create_collection(legacy, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    col.add(ids=[u["id"] for u in units], embeddings=np.load(_generation(data) / "vectors.npy"),
            metadatas=[{"doc_id": u["doc_id"], "hash": u["hash"]} for u in units])
    shared = manifest.pop("collection")
    client.delete_collection(shared)
    del manifest["keys"]
    (data / "manifest.json").write_text(json.dumps({**manifest, "collection": legacy}), encoding="utf-8")
    old = Engine.open(s.options(), embedder)
    assert old.search("Sở nào bố trí kinh phí?", 3, mode="dense")[0].clause.path == "III.8"
    report = build(data, s.corpus_dir, embedder)  # nothing changed in the corpus: the index moves, embedding nothing
    assert report.built and report.embedded == 0 and report.reused == len(units)
    assert read_manifest(data)["collection"] == shared
    assert Engine.open(s.options(), embedder).search("Sở nào bố trí kinh phí?", 3, mode="dense")[0].clause.path == "III.8"
    assert not build(data, s.corpus_dir, embedder).built  # moved once
    build(data, s.corpus_dir, embedder, paths=[_add(s.corpus_dir, ADDED[1])])  # the old generation is no longer kept
    assert [c.name for c in client.list_collections()] == [shared]
