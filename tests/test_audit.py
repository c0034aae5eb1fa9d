"""``tracuu audit``: what a user reads about the fixture folder (invented documents)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.readers import SUPPORTED
from service.audit import audit_dir, audit_file, render
from service.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
UNREADABLE = {
    "fixture-ban-quet-khong-chu.pdf": "cần OCR",
    "fixture-hong.docx": "bị hỏng",
    "fixture-nhi-phan.txt": "không đọc được mã ký tự",
    "fixture-rong.txt": "không có nội dung",
}
DIRECTIVES = ["fixture-chuong-trinh-dang-uy-mau.txt", "fixture-chuong-trinh-tinh-uy-mau.txt",
              "fixture-cong-van-xuong-dong-mau.pdf", "fixture-ke-hoach-bang-nhiem-vu.docx",
              "fixture-ke-hoach-markdown-mau.md", "fixture-nghi-dinh-mau.txt", "fixture-nghi-quyet-bo-chinh-tri-mau.txt",
              "fixture-nghi-quyet-chinh-phu-mau.txt", "fixture-ke-hoach-tinh-dong-mau.txt",
              "fixture-ke-hoach-tinh-tay-mau.txt", "fixture-chuong-trinh-tinh-uy-dong-mau.txt"]


@pytest.fixture(scope="module")
def audit():
    return audit_dir(FIXTURES)


def test_the_summary_counts_files_and_names_each_failure(audit):
    files = [p for p in FIXTURES.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED]
    text = render(audit)
    assert text.splitlines()[0] == f"Kiểm tra {len(files)} tệp (đọc được {len(files) - 4}, lỗi 4)."
    failed = text.split("Tệp không đọc được:")[1]
    for name, words in UNREADABLE.items():
        line = next(ln for ln in failed.splitlines() if name in ln)
        assert words in line, line


@pytest.mark.parametrize("name", DIRECTIVES)
def test_identity_is_read_in_every_directive(name):
    d = audit_file(FIXTURES / name)
    assert d.error is None
    assert (d.number, d.issuer, d.date, d.type) == (True, True, True, True), name


def test_the_table_shows_each_kind_and_the_total(audit):
    rows = {ln.split("  ")[0]: ln for ln in render(audit).splitlines()}
    decree = rows["Nghị định"].split()
    assert decree[2:10] == ["1", "100", "%", "100", "%", "100", "%", "100"]  # one decree, everything read
    total = audit.to_dict()["by_kind"]["Tổng"]
    assert total["documents"] == len(audit.docs) - 4
    assert total["number"] == round(sum(d.number for d in audit.docs) / total["documents"], 3)


def test_task_table_rows_have_their_lead():
    d = audit_file(FIXTURES / "fixture-ke-hoach-bang-nhiem-vu.docx")
    assert (d.rows, d.rows_with_lead) == (3, 3)  # Sở Nội vụ, Sở Khoa học và Công nghệ, Sở Tài chính


def test_a_collective_lead_is_shown_as_suspicious(audit):
    text = render(audit)
    section = text.split("Tên cơ quan đáng ngờ:")[1].split("Tệp không đọc được:")[0]
    assert 'tên chung ("các sở, ngành") làm chủ trì' in section
    assert "Các cơ quan (fixture-ke-hoach-bang-nhiem-vu.docx)" in section


def test_the_command_prints_json_with_every_file():
    result = CliRunner().invoke(app, ["audit", str(FIXTURES), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {f["file"] for f in out["failures"]} == set(UNREADABLE)
    assert {f["file"] for f in out["files"]} >= set(DIRECTIVES)
    plans = list(FIXTURES.glob("fixture-ke-hoach-*"))  # every plan fixture is counted as a Kế hoạch
    assert len(plans) >= 4 and out["by_kind"]["Kế hoạch"]["documents"] == len(plans)


def test_the_command_refuses_a_missing_folder():
    result = CliRunner().invoke(app, ["audit", str(FIXTURES / "khong-co")])
    assert result.exit_code != 0
