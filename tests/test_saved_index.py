"""What a build saves in a generation is what opening it uses: BM25 over the units' term
ids, the restorer's counts and the matrix rows are read back, not rebuilt, and they rank,
restore and assign exactly as the same things built from the documents would. And each
clause is embedded with short headings, so a long article heading is not embedded again
with every point under it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.build.layout import DataDir
from index.build.units import HEADING_CHARS, NEAREST_CHARS, units_for
from index.matrix import build_matrix
from index.retrieval.diacritics import Restorer
from index.retrieval.lexical import LexicalIndex
from index.retrieval.query import analyze
from ingest.pipeline import parse_bytes

QUESTIONS = ["Sở nào bố trí kinh phí?", "so nao bo tri kinh phi", "Sở Y tế phải làm gì?", "bảo tồn nguồn gen"]


def _folder(engine):
    return DataDir(engine.options.data_dir).generation(engine.generation).folder


def test_a_generation_holds_what_opening_it_needs(plan_engine):
    folder = _folder(plan_engine)
    assert (folder / "lexical" / "bm25").is_dir() and (folder / "restore.json").exists() and (folder / "matrix.json").exists()
    units = json.loads((folder / "units.json").read_text(encoding="utf-8"))
    assert units and all("terms" not in u for u in units)  # the terms are ids beside them


def test_opened_bm25_scores_as_bm25_built_from_the_documents(plan_engine):
    units = [u for d in plan_engine.documents.values() for u in units_for(d)]
    built = LexicalIndex.build([u.terms for u in units])
    opened = plan_engine.searcher.lexical
    assert opened.size == len(units) == len(plan_engine.units)
    for q in QUESTIONS:
        terms = analyze(q).terms
        assert np.allclose(opened.scores(terms), built.scores(terms)), q
        assert opened.scores(terms).max() > 0
    assert opened.unit_terms(3) == units[3].terms  # a kept document's units are re-indexed from these


def test_opened_restorer_and_matrix_are_the_ones_the_documents_give(plan_engine):
    units = [u for d in plan_engine.documents.values() for u in units_for(d)]
    fresh = Restorer([u.text for u in units] + [u.context for u in units])
    assert plan_engine.searcher.restorer.restore("so tai chinh bo tri kinh phi") == fresh.restore("so tai chinh bo tri kinh phi")
    assert plan_engine.searcher.restorer.forms == fresh.forms and plan_engine.searcher.restorer.bigrams == fresh.bigrams
    built = build_matrix(plan_engine.documents, plan_engine.registry, plan_engine.units)
    assert plan_engine.matrix.rows == built.rows and len(built.rows) > 20
    assert plan_engine.matrix.unit_rows_for("so-tai-chinh") == built.unit_rows_for("so-tai-chinh")


def test_rows_saved_with_a_field_this_version_lacks_still_open(plan_engine, tmp_path):
    # a generation another version wrote (a row field it has and this one has not): the index
    # opens with the rows it holds, not a crash
    from index.build.rows import load_matrix

    entries = json.loads((_folder(plan_engine) / "matrix.json").read_text(encoding="utf-8"))
    for entry in entries.values():
        for r in entry["rows"]:
            r["field_of_another_version"] = 1
    saved = tmp_path / "matrix.json"
    saved.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    opened = load_matrix(saved, list(plan_engine.documents), plan_engine.registry, plan_engine.units)
    assert opened is not None and opened.rows == plan_engine.matrix.rows and len(opened.rows) > 20


LAW = """NGHỊ ĐỊNH MẪU (tài liệu thử nghiệm)
Điều 1. Phê duyệt Đề án mẫu về phát triển thị trường thử nghiệm của tỉnh mẫu với các nội dung chủ yếu như sau đây, áp dụng cho mọi cơ quan
1. Mục tiêu chung của đề án mẫu
a) Xây dựng hệ thống đăng ký mẫu cho các đơn vị trên địa bàn.
b) Hoàn thiện cơ sở dữ liệu mẫu trước năm 2030.
"""


@pytest.mark.parametrize("path", ["Điều 1.1.a", "Điều 1.1.b"])
def test_a_point_is_embedded_with_short_headings_and_matched_with_whole_ones(path):
    doc = parse_bytes(LAW.encode(), "fixture-nghi-dinh-de-an-mau.txt")
    unit = next(u for u in units_for(doc) if u.path == path)
    article = next(c for c in doc.clauses if c.path == "Điều 1").heading
    assert len(article) > NEAREST_CHARS
    assert article in unit.context and article not in unit.embed_text  # the whole heading is matched, not re-embedded
    assert unit.embed_text.endswith(unit.text) and len(unit.embed_context) <= HEADING_CHARS + NEAREST_CHARS + 3
    assert "w:thị_trường" in unit.terms or "s:truong" in unit.terms  # the article's words still find the point
