"""Search filters are guarantees: every result satisfies every filter, through the fusion of
the lexical, dense and agency rankings, at any corpus size. Real index of corpus/ (e5,
embedded Chroma), and a generated document larger than the candidate pool."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from index.build.builder import build
from index.build.units import item_of
from index.engine import Engine, Options
from index.retrieval.search import POOL

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PLAN_ID = "kh-ubnd-2024-cnsh"
GOLD = [q["q"] for q in yaml.safe_load((ROOT / "tests" / "eval" / "gold.yaml").read_text(encoding="utf-8"))["questions"]]


def ids(hits) -> list[str]:
    return [h.clause.id for h in hits]


def under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "/"))


def test_a_filter_naming_the_only_document_changes_no_ranking(plan_engine):
    changed = [q for q in GOLD if ids(plan_engine.search(q, 10)) != ids(plan_engine.search(q, 10, doc=PLAN_ID))]
    assert changed == [], f"{len(changed)} of {len(GOLD)} rankings changed, e.g. {changed[:3]}"


def test_a_dense_only_query_finds_its_document_under_a_doc_filter(plan_engine):
    q = "Which department allocates the budget?"  # English: the dense ranker alone must carry it
    plain = plan_engine.search(q, 5, mode="dense")
    assert plain and ids(plan_engine.search(q, 5, doc=PLAN_ID, mode="dense")) == ids(plain)


QUERIES = ["Sở Y tế phải làm gì?", "Sở nào bố trí kinh phí?", "tuyên truyền nâng cao nhận thức", "so khcn lam gi"]


@pytest.mark.parametrize("section", ["I", "II", "III.8", "preamble"])
@pytest.mark.parametrize("q", QUERIES)
def test_a_section_filter_holds_for_every_result(plan_engine, q, section):
    paths = [h.clause.path for h in plan_engine.search(q, 10, section=section)]
    assert paths, f"no result for {q!r} under {section}"  # a filter that drops everything is no filter
    assert all(under(p, section) for p in paths), paths


@pytest.mark.parametrize("q", QUERIES)
def test_an_agency_and_a_section_filter_hold_together(plan_engine, q):
    allowed = {plan_engine.units[i]["id"] for i in plan_engine.matrix.unit_rows_for("so-tai-chinh")}
    hits = plan_engine.search(q, 10, section="III", agency="so-tai-chinh", doc=PLAN_ID)
    assert hits and all(h.clause.id in allowed and under(h.clause.path, "III") for h in hits), ids(hits)


def test_a_section_prefix_is_whole_numbers_not_characters(plan_engine):
    """``section=I`` is section I, not every path that starts with the letter I (II, III)."""
    hits = plan_engine.search("Sở Tài chính bố trí kinh phí", 10, section="I")
    assert hits and {item_of(h.clause.path).split(".")[0] for h in hits} == {"I"}


class TwoTopics:
    """A fixture embedder with a known geometry: texts about "kinh phí" point one way,
    every other text the other way, so the dense ranking of a query is known exactly."""

    name, dim = "fixture:two-topics", 4

    def _vec(self, text: str) -> np.ndarray:
        return np.array([1, 0, 0, 0] if "kinh phí" in text.lower() else [0, 1, 0, 0], dtype=np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def query(self, text: str) -> np.ndarray:
        return self._vec(text)


@pytest.fixture(scope="module")
def big_engine(tmp_path_factory) -> Engine:
    """One generated plan with more clauses near the query than the candidate pool holds,
    and one clause far from it, alone in section II."""
    root = tmp_path_factory.mktemp("big")
    corpus, data = root / "corpus", root / "data"
    corpus.mkdir()
    items = "\n".join(f"{n}. Bố trí kinh phí cho nhiệm vụ số {n} của kế hoạch mẫu." for n in range(1, POOL + 51))
    (corpus / "fixture-ke-hoach-lon.txt").write_text(
        "KẾ HOẠCH MẪU (tài liệu thử nghiệm)\nVề một kế hoạch rất dài\nI. NHIỆM VỤ\n" + items
        + "\nII. TỔ CHỨC THỰC HIỆN\n1. Tổ chức hội nghị tổng kết vào cuối năm.\n", encoding="utf-8")
    embedder = TwoTopics()
    assert build(data, corpus, embedder).built
    return Engine.open(Options(data, corpus), embedder)


def test_a_dense_filter_binds_beyond_the_candidate_pool(big_engine):
    """The only clause of section II is far from the query in the dense space: more than a
    pool's worth of clauses outrank it, and the section filter must still find it."""
    for mode in ("dense", "hybrid"):
        hits = big_engine.search("kinh phí hội nghị", 5, section="II", mode=mode)
        assert sorted(h.clause.path for h in hits) == ["II", "II.1"], mode
