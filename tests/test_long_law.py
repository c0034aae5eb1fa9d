"""A whole law, longer than an upload may be, loaded as ``tracuu ingest`` loads it (its parser,
within the ingest limits, and its build), then searched and asked with a question one article
answers.

The law is invented (``long_law``: an article per topic, each with three clauses), generated
here to over 300,000 characters. What is checked is plumbing: the size limits, the header and
the article tree of a long document, the sections that search results and citations carry.
So its vectors come from the hashing embedder of ``make bench`` (a bag of hashed words): e5
spent two minutes of the suite embedding it, and how well e5 ranks laws is measured on real
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

ARTICLES = 230
_WHAT = ["thư viện", "kho lưu trữ", "bảo tàng", "nhà văn hóa", "trạm khí tượng", "vườn ươm", "bến thuyền", "chợ phiên",
         "sân vận động", "nhà thiếu nhi", "trạm bơm", "cầu treo", "bãi đỗ xe", "trường nghề", "xưởng gốm"]
_WHERE = ["vùng núi", "ven biển", "đô thị", "hải đảo", "biên giới", "đồng bằng", "cao nguyên", "trung du", "lòng hồ",
          "cửa sông", "khu công nghiệp", "làng nghề", "khu bảo tồn", "đầm phá", "thung lũng", "bán đảo", "rừng ngập mặn",
          "đô thị mới", "vành đai", "đảo xa"]
_FILLER = ("Cơ quan quản lý có trách nhiệm bảo đảm điều kiện hoạt động, bố trí nhân lực, kinh phí và cơ sở vật chất "
           "theo quy định của luật mẫu này; định kỳ kiểm tra, đánh giá và công khai kết quả cho người dân biết. ")


def long_law(articles: int = 200) -> str:
    """An invented law of ``articles`` articles, each on a topic of its own, well over 200,000 characters."""
    lines = ["TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ – không phải văn bản thật", "QUỐC HỘI", "Luật số: 99/2099/QH99",
             "LUẬT", "MẪU VỀ CÁC CÔNG TRÌNH CÔNG CỘNG", "Chương I", "QUY ĐỊNH CHUNG"]
    for i in range(articles):
        topic = f"{_WHAT[i % len(_WHAT)]} {_WHERE[i // len(_WHAT)]}"
        lines.append(f"Điều {i + 1}. Quản lý {topic}")
        lines += [f"{k}. Việc quản lý {topic} thực hiện theo khoản {k} Điều này. {_FILLER * 2}" for k in (1, 2, 3)]
    lines.append("Luật này được Quốc hội mẫu thông qua ngày 12 tháng 6 năm 2099.")
    return "\n".join(lines) + "\n"


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

    with pytest.raises(TooLarge, match="200.000 ký tự") as refused:  # an upload of it is refused, by size
        parse_bytes(text.encode("utf-8"), "fixture-luat-mau-dai.txt", limits=settings.limits())
    assert "fixture-luat-mau-dai.txt" in str(refused.value)  # and by name
    embedder = HashEmbedder()
    report = build(data, corpus, embedder, parse=settings.file_parser())
    assert report.built and not report.failed, report
    engine = Engine.open(Options(data, corpus), embedder)
    (doc,) = engine.documents.values()
    assert doc.header.doc_type == "Luật" and doc.header.number == "99/2099/QH99" and doc.header.date == "2099-06-12"
    assert sum(c.kind == "article" for c in doc.clauses) == ARTICLES
    assert doc.clause("Điều 200").heading == "Quản lý trạm khí tượng đầm phá"
    assert len(engine.units) >= ARTICLES * 4  # every article and its three clauses
    for article, topic in ((1, "thư viện vùng núi"), (161, "trạm bơm khu công nghiệp"), (200, "trạm khí tượng đầm phá")):
        (best,) = engine.search(f"quản lý {topic}", 1, mode="lexical")  # BM25 alone finds each article's words
        assert best.clause.path.split(".")[0] == f"Điều {article}", (topic, best.clause.path)

    for question, article in QUESTIONS:
        results = engine.search(question, 5)
        assert results, question
        assert re.match(rf"{article}(\.|$)", results[0].clause.path), (question, [h.clause.path for h in results])
        answer = ask(engine, question)
        assert answer.citations, (question, answer.text)
        assert re.match(rf"{article}(\.|$)", answer.citations[0].clause.path), (question, answer.citations[0])
