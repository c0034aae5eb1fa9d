"""Cross-references between loaded documents, with no catalog entry for any of them.

A cascade of fixture documents (invented text in the formats of real directives): the
Politburo-format resolution 99-NQ/TW, the Government's programme 999/NQ-CP and the provincial
Party programme 88-CTr/TU that carry it out (tests/fixtures), and, written here, a provincial
plan that implements 88-CTr/TU, a letter that carries the plan out and names the programme
by its short form, another province's plan with the same number as the first, and a third
province's letter whose references name its own province's documents by the same numbers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.answers.crossref import alignments, crossrefs
from index.answers.graph import graph
from index.build.builder import build
from index.engine import Engine, Options

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NQ_TW, NQ_CP, CTR = "fixture-nghi-quyet-bo-chinh-tri-mau", "fixture-nghi-quyet-chinh-phu-mau", "fixture-chuong-trinh-dang-uy-mau"
PLAN, LETTER, OTHER = "fixture-ke-hoach-tinh-mau-77", "fixture-cong-van-tinh-mau-55", "fixture-ke-hoach-tinh-khac-77"
THIRD = "fixture-cong-van-tinh-thu-ba-21"

WRITTEN = {
    PLAN: """TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ – không phải văn bản thật
ỦY BAN NHÂN DÂN TỈNH MẪU
Số: 77/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Tỉnh Mẫu, ngày 15 tháng 6 năm 2099

KẾ HOẠCH
Triển khai thực hiện Chương trình hành động số 88-CTr/TU của Ban Thường vụ Tỉnh ủy

Thực hiện Chương trình hành động số 88-CTr/TU ngày 09/5/2099 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau.

I. MỤC ĐÍCH, YÊU CẦU
1. Cụ thể hóa các nhiệm vụ của Chương trình hành động thành việc làm của các sở, ngành.

II. NHIỆM VỤ, GIẢI PHÁP
1. Nâng cao nhận thức về công nghệ sinh học
Sở Văn hóa, Thể thao và Du lịch chủ trì biên soạn tài liệu tuyên truyền về công nghệ sinh học mẫu, phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh.
2. Hoàn thiện cơ chế, chính sách
Sở Tài chính tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân tỉnh nghị quyết mẫu về chính sách hỗ trợ doanh nghiệp công nghệ sinh học.

III. TỔ CHỨC THỰC HIỆN
Sở Khoa học và Công nghệ là cơ quan đầu mối, tổng hợp báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12 hằng năm.
""",
    LETTER: """TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ – không phải văn bản thật
ỦY BAN NHÂN DÂN TỈNH MẪU
Số: 55/UBND-KT
V/v triển khai Kế hoạch số 77/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Tỉnh Mẫu, ngày 20 tháng 7 năm 2099

Kính gửi: Các sở, ban, ngành tỉnh.

Để triển khai Kế hoạch số 77/KH-UBND của Ủy ban nhân dân tỉnh, gắn với Chương trình hành động số 88 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh yêu cầu:
1. Sở Văn hóa, Thể thao và Du lịch hoàn thành tài liệu tuyên truyền trước ngày 30/9/2099.
2. Sở Tài chính báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 30/11/2099.
""",
    OTHER: """TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ – không phải văn bản thật
ỦY BAN NHÂN DÂN TỈNH KHÁC
Số: 77/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Tỉnh Khác, ngày 02 tháng 3 năm 2099

KẾ HOẠCH
Phát triển du lịch nông thôn mẫu

I. NHIỆM VỤ
1. Sở Văn hóa, Thể thao và Du lịch chủ trì xây dựng sản phẩm du lịch nông thôn mẫu.
""",
    THIRD: """TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ – không phải văn bản thật
ỦY BAN NHÂN DÂN TỈNH THỨ BA
Số: 21/UBND-VX
V/v tổng kết Chương trình hành động số 88-CTr/TU
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Tỉnh Thứ Ba, ngày 05 tháng 8 năm 2099

Kính gửi: Các sở, ban, ngành tỉnh.

Thực hiện Nghị quyết số 99-NQ/TW của Bộ Chính trị và Chương trình hành động số 88-CTr/TU ngày 20/12/2098 của Ban Thường vụ Tỉnh ủy, tiếp theo Công văn số 55 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân tỉnh yêu cầu:
1. Sở Khoa học và Công nghệ tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/11/2099.
""",
}


@pytest.fixture(scope="module")
def cascade(tmp_path_factory, e5) -> Engine:
    root = tmp_path_factory.mktemp("cascade")
    docs, corpus = root / "docs", root / "corpus"
    docs.mkdir()
    corpus.mkdir()
    for name in (NQ_TW, NQ_CP, CTR):
        shutil.copy(FIXTURES / f"{name}.txt", docs)
    for name, text in WRITTEN.items():
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    shutil.copy(Path(__file__).resolve().parents[1] / "corpus" / "agencies.yaml", corpus)
    build(root / "data", corpus, e5, paths=[docs])  # an empty catalog: every link comes from the texts
    return Engine.open(Options(root / "data", corpus), e5)


def _links(engine: Engine) -> set[tuple[str, str, str]]:
    return {(e["from"], e["to"], e["type"]) for e in graph(engine)["edges"]}


def test_the_catalog_is_empty_so_links_come_from_the_texts(cascade):
    assert not cascade.catalog.entries and len(cascade.documents) == 7


@pytest.mark.parametrize("link", [
    (NQ_CP, NQ_TW, "implements"),   # "thực hiện Nghị quyết số 99-NQ/TW"
    (CTR, NQ_TW, "implements"),     # the Party programme carries out the Politburo resolution
    (PLAN, CTR, "implements"),      # "Thực hiện Chương trình hành động số 88-CTr/TU ngày 09/5/2099"
    (LETTER, PLAN, "implements"),   # "Để triển khai Kế hoạch số 77/KH-UBND" — this province's, not the other's
    (LETTER, CTR, "cites"),         # "Chương trình hành động số 88": the short form, resolved by type and number
])
def test_links_between_loaded_documents_are_found(cascade, link):
    assert link in _links(cascade)


def test_a_number_two_provinces_share_goes_to_the_citing_province(cascade):
    assert not [e for e in _links(cascade) if e[1] == OTHER]


def test_a_reference_to_a_document_of_the_citing_province_never_links_to_another_province(cascade):
    """Tỉnh Thứ Ba's "Chương trình hành động số 88-CTr/TU ngày 20/12/2098 của Ban Thường vụ Tỉnh ủy" is
    its own Tỉnh ủy's, not tỉnh Mẫu's 88-CTr/TU of 09/5/2099 (another date, another province), and its
    "Công văn số 55" is its own letter, not tỉnh Mẫu's 55/UBND-KT; the Politburo's resolution is national."""
    assert {(f, t) for f, t, _ in _links(cascade) if f == THIRD} == {(THIRD, NQ_TW)}


def test_the_crossrefs_of_a_document_list_its_links_both_ways(cascade):
    out = crossrefs(cascade, PLAN)
    assert [e["to"] for e in out["implements"]] == [CTR]
    assert [e["from"] for e in out["implemented_by"]] == [LETTER]
    assert out["not_loaded"] == []
    clause_ids = out["implements"][0]["clauses"]
    assert clause_ids and all(c in cascade.clauses for c in clause_ids)  # where the text names it


def test_clauses_of_an_implementing_plan_align_with_the_programme_it_carries_out(cascade):
    found = {(a.source.path, a.target.doc_id, a.target.path) for a in alignments(cascade, PLAN)}
    # the plan's II.1 (awareness, propaganda material) carries out the programme's II.1 (the same task)
    assert (("II.1", CTR, "II.1") in found), sorted(found)
    labels = crossrefs(cascade, PLAN)["alignments"]
    assert labels and all(a["label"] and a["target_label"] for a in labels)


# --- links the texts state in forms a copy varies: no index needed, the graph of parsed documents --------

SPACED, REPEAL = "fixture-ke-hoach-tinh-mau-78", "fixture-quyet-dinh-tinh-mau-90"
SPACED_TEXT = """TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ – không phải văn bản thật
ỦY BAN NHÂN DÂN TỈNH MẪU
Số: 78/KH-UBND
Tỉnh Mẫu, ngày 20 tháng 6 năm 2099

KẾ HOẠCH
Ứng dụng công nghệ sinh học mẫu trong nông nghiệp

Thực hiện Nghị quyết số 99 - NQ/TW của Bộ Chính trị; triển khai Chương trình hành động số 88- CTr/TU ngày 09/5/2099 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau.
1. Sở Nông nghiệp và Môi trường xây dựng mô hình trình diễn giống cây trồng mẫu.
"""
REPEAL_TEXT = """TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ – không phải văn bản thật
ỦY BAN NHÂN DÂN TỈNH MẪU
Số: 90/QĐ-UBND
Tỉnh Mẫu, ngày 01 tháng 12 năm 2099

QUYẾT ĐỊNH
Về việc bãi bỏ kế hoạch mẫu đã hết đối tượng điều chỉnh

ỦY BAN NHÂN DÂN TỈNH MẪU
QUYẾT ĐỊNH:
Điều 1. Bãi bỏ toàn bộ các kế hoạch sau đây:
1. Kế hoạch số 77/KH-UBND ngày 15/6/2099 của Ủy ban nhân dân tỉnh theo Chương trình hành động số 88-CTr/TU của Ban Thường vụ Tỉnh ủy.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
"""


@pytest.fixture(scope="module")
def parsed():
    """The graph's engine as far as the graph reads it: loaded documents, an empty catalog."""
    from types import SimpleNamespace

    from ingest.catalog import Catalog
    from ingest.pipeline import parse_bytes

    texts = {CTR: (FIXTURES / f"{CTR}.txt").read_text(encoding="utf-8"),
             NQ_TW: (FIXTURES / f"{NQ_TW}.txt").read_text(encoding="utf-8"),
             PLAN: WRITTEN[PLAN], SPACED: SPACED_TEXT, REPEAL: REPEAL_TEXT}
    docs = {name: parse_bytes(text.encode("utf-8"), f"{name}.txt") for name, text in texts.items()}
    return SimpleNamespace(documents=docs, catalog=Catalog(), memo={})


def test_a_number_written_with_a_space_beside_its_hyphen_is_read_whole_and_links(parsed):
    """"99 - NQ/TW", "88- CTr/TU": the copy's spacing, not another number; the plan carries both out."""
    assert [r.number for r in parsed.documents[SPACED].references] == ["99-NQ/TW", "88-CTr/TU"]
    assert {(SPACED, NQ_TW, "implements"), (SPACED, CTR, "implements")} <= _links(parsed)


def test_an_article_heading_that_repeals_marks_the_documents_its_items_list(parsed):
    """"Điều 1. Bãi bỏ toàn bộ các kế hoạch sau đây:" + "1. Kế hoạch số 77/KH-UBND …": the plan is
    replaced; the programme the item's description names is only cited."""
    from index.answers.graph import status_of

    assert {(REPEAL, PLAN, "replaces"), (REPEAL, CTR, "cites")} <= _links(parsed)
    assert status_of(parsed, PLAN)["replaced_by"] == [REPEAL]
