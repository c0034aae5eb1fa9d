"""A document's identity (number, issuer, date, type) from any header a copy has, and the
audit that counts it: invented fixture captures in ``tests/fixtures/identity/``, one per
class of header the parser once missed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.pipeline import parse_bytes
from service.audit import audit_dir, render
from service.cli import app

HERE = Path(__file__).resolve().parent / "fixtures" / "identity"


def header(name: str):
    return parse_bytes((HERE / name).read_bytes(), name).header


# file → (number, issuer, ISO date, type): what a user reads as the document's name and citation
CLASSES = {
    # the capture lost the "THÔNG TƯ" line: the "Số:" line starts the header; the enacting formula gives issuer and type
    "fixture-thong-tu-mat-dong-loai.md": ("21/2099/TT-BTN", "Bộ Thử nghiệm", None, "Thông tư"),
    # "**NGHỊ QUYẾT****Về việc …**": type and subject run together; the adoption date sits among bold marks
    "fixture-nghi-quyet-loai-dinh-tieu-de.md": ("1699/NQ-UBTVQH99", "Ủy ban Thường vụ Quốc hội", "2099-06-16",
                                                "Nghị quyết"),
    # a law's title is its name ("LUẬT THỬ NGHIỆM MẪU"); "Quốc hội ban hành Luật …" names the issuer
    "fixture-luat-mau.md": ("74/2099/QH99", "Quốc hội", "2099-06-16", "Luật"),
    # "Số: 3799/QĐ-" / "UBND": the number wrapped after its hyphen
    "fixture-quyet-dinh-so-xuong-dong.md": ("3799/QĐ-UBND", "Ủy ban nhân dân tỉnh Mẫu", "2099-11-20", "Quyết định"),
    # a letter's "v/v …" in lower case below its number, and a unit's code with a dot ("CS.I")
    "fixture-cong-van-vv-chu-thuong.md": ("5399/CM-CS.I", "Cục Mẫu", "2099-11-20", "Công văn"),
    # a letter's subject written "Về …" without "V/v", then "Kính gửi"
    "fixture-cong-van-ve-khong-vv.md": ("5155/STN-VP", "Sở Thử nghiệm tỉnh Mẫu", "2099-11-28", "Công văn"),
    # a Party header whose motto wraps ("**ĐẢNG CỘNG" / "SẢN VIỆT NAM**"), "Số 499-TB/VPTW", "THÔNG BÁO KẾT LUẬN"
    "fixture-thong-bao-ket-luan-van-phong-trung-uong.md": ("499-TB/VPTW", "Văn phòng Trung ương Đảng", "2099-11-26",
                                                           "Thông báo"),
    # no header at all: the attached part names its document ("(Kèm theo Nghị quyết số … ngày …)")
    "fixture-nghi-quyet-khong-dau-kem-theo.md": ("399/NQ-CP", "Chính phủ", "2099-12-03", "Nghị quyết"),
    # a news page carrying a document's full text: "Toàn văn Thông báo 81-TB/TW …"
    "fixture-toan-van-thong-bao.md": ("81-TB/TW", None, None, "Thông báo"),
}


@pytest.mark.parametrize("name", CLASSES)
def test_each_class_of_header_gives_number_issuer_date_and_type(name):
    h = header(name)
    assert (h.number, h.issuer, h.date, h.doc_type) == CLASSES[name]
    assert h.number_known
    assert h.display_name() == f"{h.doc_type} {h.number}"  # the name a user reads, never the file's


def test_a_blank_number_says_so():
    h = header("fixture-ke-hoach-chua-ghi-so.md")
    assert (h.number, h.number_known) == ("…/KH-UBND", False)
    assert h.display_name() == "Kế hoạch (chưa ghi số) của UBND tỉnh Mẫu, tháng 7/2099"


@pytest.fixture(scope="module")
def audit():
    return audit_dir(HERE)


def test_a_news_page_is_counted_apart_not_as_a_document_unread(audit):
    assert [d.file for d in audit.not_documents()] == ["fixture-trang-tin-khong-phai-van-ban.md"]
    text = render(audit)
    assert "Không phải văn bản (bài báo, trang tra cứu; không tính vào các tỷ lệ trên): 1 tệp" in text
    total = audit.to_dict()["by_kind"]["Tổng"]
    assert total["documents"] == len(CLASSES) + 1  # the classes and the plan with a blank number
    assert (total["number"], total["type"]) == (1.0, 1.0)  # the blank number counts as read: it is said so
    assert "Số hiệu để trống trong bản sao (ghi \"chưa ghi số\", tính là đã đọc): 1" in text


def test_numbers_read_are_checked_against_the_manifests_hints(audit):
    text = render(audit)
    assert "Số hiệu khớp gợi ý của manifest: 3/4 (75 %)" in text
    assert "fixture-cong-van-ve-khong-vv.md: đọc 5155/STN-VP, gợi ý 9999/STN-VP" in text
    hints = audit.to_dict()["number_hints"]
    assert (hints["hinted"], hints["agree"]) == (4, 3)
    assert hints["differ"] == [{"file": "fixture-cong-van-ve-khong-vv.md", "read": "5155/STN-VP", "hint": "9999/STN-VP"}]


def test_the_audit_command_takes_a_manifest(tmp_path):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"file": "fixture-luat-mau.md", "number_hint": "74/2099/QH99"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(HERE), "--json", "--manifest", str(manifest)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["number_hints"] == {"hinted": 1, "agree": 1, "share": 1.0, "differ": []}


# --- tracuu ask --json ------------------------------------------------------------------------------


@pytest.mark.slow
def test_ask_json_prints_what_the_api_returns(client, plan_settings, monkeypatch):
    """The same index through the CLI and through /api/ask: the same JSON, the official citation included."""
    from service.settings import get_settings

    for name, value in plan_settings.model_dump().items():
        if value is not None:
            secret = getattr(value, "get_secret_value", None)
            monkeypatch.setenv(f"TRACUU_{name.upper()}", secret() if secret else str(value))
    get_settings.cache_clear()
    try:
        question = "Sở nào bố trí kinh phí?"
        result = CliRunner().invoke(app, ["ask", "--json", question])
        assert result.exit_code == 0, result.output
        printed = json.loads(result.output)
        assert printed == client.get("/api/ask", params={"q": question}).json()
        assert printed["citations"][0]["citation"].startswith("khoản 8 Mục III Kế hoạch số …/KH-UBND")
        text = CliRunner().invoke(app, ["ask", question]).output
        assert "khoản 8 Mục III Kế hoạch số …/KH-UBND" in text and printed["citations"][0]["doc_id"] not in text
        # a search names the document as a user reads it: its number left blank is said so, never its id
        found = CliRunner().invoke(app, ["search", "bố trí kinh phí", "-k", "1"]).output
        assert found.startswith("1. Kế hoạch (chưa ghi số) của UBND tỉnh Bình Thuận"), found
        assert printed["citations"][0]["doc_id"] not in found
    finally:
        get_settings.cache_clear()


def test_a_catalog_number_written_with_spaces_still_names_the_loaded_document():
    """A catalog entry typed "99 - NQ/TW" is the resolution whose header reads "Số: 99-NQ/TW": the loaded
    text takes the entry's id (one number key for every comparison, ``ingest.normalize.number_key``)."""
    from ingest.catalog import Catalog, Entry

    fixture = HERE.parent / "fixture-nghi-quyet-bo-chinh-tri-mau.txt"
    catalog = Catalog({"nq-99-mau": Entry(id="nq-99-mau", number="99 - NQ/TW", file=None)})
    assert parse_bytes(fixture.read_bytes(), fixture.name, catalog).id == "nq-99-mau"
