"""Retrieval over a real index of corpus/ (real e5 embedder, real embedded Chroma)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.build.builder import build
from index.build.units import item_of
from index.engine import Engine, Options
from index.errors import BadQuery, ConfigError, NotFound
from index.retrieval.embedders import create_embedder

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture
def engine(plan_engine) -> Engine:
    return plan_engine  # shared session index of corpus/ (conftest)


def first_item(engine: Engine, q: str, **kw) -> str:
    return item_of(engine.search(q, 5, **kw)[0].clause.path)


@pytest.mark.parametrize(
    "q, item",
    [
        ("Sở nào bố trí kinh phí thực hiện kế hoạch?", "III.8"),
        ("so nao bo tri kinh phi", "III.8"),
        ("Cơ quan đầu mối theo dõi, đôn đốc kế hoạch", "III.1"),
        ("co quan dau moi theo doi don doc", "III.1"),
        ("Sở KH&CN phải làm gì?", "III.1"),
        ("nhiệm vụ của Sở NN&PTNT", "III.2"),
        ("Sở TN&MT làm gì", "III.6"),
        ("Which department allocates the budget?", "III.8"),
        ("Tầm nhìn đến năm 2045", "I.2.2"),
    ],
)
def test_right_item_first(engine, q, item):
    assert first_item(engine, q) == item


def test_hits_are_verbatim_clauses_of_the_source(engine):
    hits = engine.search("ứng dụng công nghệ sinh học trong y tế", 10)
    assert len(hits) == 10
    for h in hits:
        assert h.doc.source[h.clause.start : h.clause.end] == h.clause.text


def test_a_clause_and_its_own_item_do_not_both_fill_the_top(engine):
    hits = engine.search("Sở Khoa học và Công nghệ", 10)
    paths = [h.clause.path for h in hits]
    for p in paths:
        assert not (item_of(p) != p and item_of(p) in paths), paths


def test_filters_narrow_results(engine):
    hits = engine.search("công nghệ sinh học", 10, section="III")
    assert hits and all(h.clause.path.startswith("III") for h in hits)
    hits = engine.search("công nghệ sinh học", 10, agency="so-y-te")
    assert hits and {item_of(h.clause.path) for h in hits} <= {"III.5", "III.11", "II.1"}
    with pytest.raises(NotFound):
        engine.search("kinh phí", 5, doc="khong-co-van-ban-nay")


def test_a_narrow_filter_finds_its_clauses_however_many_others_outrank_them():
    """With 500 louder clauses elsewhere, the one matching clause of the filtered document
    is still found (the filter applies before the candidate pool is cut)."""
    from index.retrieval.lexical import LexicalIndex
    from index.retrieval.query import analyze
    from index.retrieval.search import Filters, HybridSearcher
    from ingest.tokens import terms

    def unit(doc: str, n: int, text: str) -> dict:
        return {"id": f"{doc}#{n}", "doc_id": doc, "path": f"I.{n}", "item": f"I.{n}", "section": "I",
                "context": "", "text": text, "terms": terms(text)}

    units = [unit("a", n, "Bố trí kinh phí, kinh phí sự nghiệp khoa học và kinh phí đầu tư") for n in range(500)]
    units.append(unit("b", 1, "Các sở, ngành chủ động cân đối kinh phí trong dự toán được giao"))
    searcher = HybridSearcher(units, LexicalIndex.build([u["terms"] for u in units]), None, None)
    q = analyze("kinh phí")
    assert searcher.search(q, 5, Filters(doc="b"), mode="lexical")[0].unit == 500
    assert searcher.search(q, 5, Filters(section="I.7"), mode="lexical")[0].unit == 7
    assert len(searcher.search(q, 10, mode="lexical")) == 10


def test_a_question_asked_again_is_not_embedded_again(e5):
    calls = []

    def query(text):
        calls.append(text)
        return e5.query(text)

    from index.retrieval.embedders import memoize

    cached = memoize(query, 2)
    first = cached("Sở nào bố trí kinh phí?")
    assert cached("Sở nào bố trí kinh phí?") is first and len(calls) == 1
    assert not first.flags.writeable  # shared between requests, so nobody may change it
    cached("a"), cached("b"), cached("Sở nào bố trí kinh phí?")  # evicted by two newer questions
    assert len(calls) == 4
    uncached = memoize(query, 0)
    uncached("c"), uncached("c")
    assert calls[-2:] == ["c", "c"]


@pytest.mark.parametrize("bad", ["", "   ", "x" * 501, "?!…"])
def test_unusable_queries_are_refused_with_a_message(engine, bad):
    with pytest.raises(BadQuery) as err:
        engine.search(bad)
    assert str(err.value)


def test_unknown_embedder_names_the_known_ones():
    with pytest.raises(ConfigError, match="known: e5, sbert"):
        create_embedder("word2vec")


def test_failed_build_leaves_the_previous_index_serving(tmp_path, engine, e5):
    data = tmp_path / "data"
    shutil.copytree(engine.options.data_dir, data)
    before = json.loads((data / "manifest.json").read_text())
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    with (corpus / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt").open("a", encoding="utf-8") as f:
        f.write("\n- Một gạch đầu dòng thêm vào để buộc phải nhúng lại.\n")

    class Broken:
        name, dim = e5.name, e5.dim

        def passages(self, texts):
            raise RuntimeError("embedder died mid-build")

        def query(self, text):
            return e5.query(text)

    with pytest.raises(RuntimeError):
        build(data, corpus, Broken())
    assert json.loads((data / "manifest.json").read_text()) == before
    assert sorted(p.name for p in (data / "gen").iterdir()) == [before["generation"]]
    again = Engine.open(Options(data, corpus), e5)
    assert first_item(again, "Sở nào bố trí kinh phí?") == "III.8"


def test_changed_file_re_embeds_only_changed_clauses(tmp_path, engine, e5):
    data = tmp_path / "data"
    shutil.copytree(engine.options.data_dir, data)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    plan = corpus / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n- Gạch đầu dòng mới của thử nghiệm.\n", encoding="utf-8")
    report = build(data, corpus, e5)
    assert report.built and 1 <= report.embedded <= 2 and report.reused >= 60
    assert build(data, corpus, e5).built is False  # nothing changed since



def test_dense_candidates_stay_the_generations_own_when_the_collection_holds_others(tmp_path):
    """The collection is shared by generations: vectors another generation added after this
    engine counted it (nearer to the query, here) do not take its candidates' places."""
    import numpy as np

    from index.retrieval.lexical import LexicalIndex
    from index.retrieval.query import analyze
    from index.retrieval.search import POOL, HybridSearcher
    from index.retrieval.vector import VectorStore, open_client

    rng = np.random.default_rng(7)
    own = rng.normal(size=(300, 8)).astype(np.float32)
    units = [{"id": f"a#I.{n}", "doc_id": "a", "path": f"I.{n}", "item": f"I.{n}", "context": "", "text": "x",
              "hash": f"h{n}", "terms": ["x"]} for n in range(len(own))]
    store = VectorStore(open_client(tmp_path), "tracuu-test-shared", create=True)
    store.upsert([u["hash"] for u in units], own)
    query = own[0] + 0.01
    searcher = HybridSearcher(units, LexicalIndex.build([u["terms"] for u in units]), store, lambda _: query, keys="hash")
    before = searcher.dense_ranking(analyze("x"), None)
    assert len(before) == POOL and before[0] == 0
    # the next generation's vectors, all nearer to the query than any of this one's but the first
    store.upsert([f"new{n}" for n in range(150)], np.tile(query, (150, 1)) + rng.normal(scale=1e-3, size=(150, 8)))
    after = searcher.dense_ranking(analyze("x"), None)
    assert len(after) == POOL and after == before
