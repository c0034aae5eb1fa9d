"""A whole law, longer than an upload may be, loaded as ``tracuu ingest`` loads it (its parser,
within the ingest limits, and its build), then searched and asked with a question one article
answers.

The law is invented (``tests.test_readers.long_law``: an article per topic, each with three
clauses), generated here to over 300,000 characters. What is checked is plumbing: the size
limits, the article tree of a long document, the sections that search results and citations
carry. So its vectors come from the hashing embedder of ``make bench`` (a bag of hashed words):
e5 spent two minutes of the suite embedding it, and how well e5 ranks laws is measured on real
ones by ``make eval`` (``tests.eval.legal``). ``tracuu ingest`` itself: ``tests/test_ingest_cli.py``.
"""

from __future__ import annotations

import re

import pytest

from index.answers.answer import ask
from index.build.builder import build
from index.engine import Engine, Options
from ingest.errors import TooLarge
from ingest.pipeline import parse_bytes
from service.settings import Settings
from tests.bench.hashing import HashEmbedder
from tests.test_ingest_cli import CORPUS
from tests.test_readers import long_law

ARTICLES = 230
# (question as a staff member would type it, the article that answers it)
QUESTIONS = [
    ("Việc quản lý trạm bơm ở khu công nghiệp được quy định thế nào?", "Điều 161"),
    ("quan ly cho phien vung cao nguyen", "Điều 98"),
]


def test_a_long_law_loads_within_the_ingest_limits_and_questions_land_on_their_article(tmp_path):
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    for name in ("catalog.yaml", "agencies.yaml"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    text = long_law(ARTICLES)
    assert len(text) >= 300_000
    (corpus / "fixture-luat-mau-dai.txt").write_text(text, encoding="utf-8")
    settings = Settings(data_dir=data, corpus_dir=corpus)

    with pytest.raises(TooLarge):  # an upload of it is refused, by size
        parse_bytes(text.encode("utf-8"), "fixture-luat-mau-dai.txt", limits=settings.limits())
    embedder = HashEmbedder()
    report = build(data, corpus, embedder, parse=settings.file_parser())
    assert report.built and not report.failed, report
    engine = Engine.open(Options(data, corpus), embedder)
    (doc,) = engine.documents.values()
    assert sum(c.kind == "article" for c in doc.clauses) == ARTICLES
    assert len(engine.units) >= ARTICLES * 4  # every article and its three clauses

    for question, article in QUESTIONS:
        results = engine.search(question, 5)
        assert results, question
        assert re.match(rf"{article}(\.|$)", results[0].clause.path), (question, [h.clause.path for h in results])
        answer = ask(engine, question)
        assert answer.citations, (question, answer.text)
        assert re.match(rf"{article}(\.|$)", answer.citations[0].clause.path), (question, answer.citations[0])
