"""Who does what, read from clauses, headings and task tables as real directives write them:
names cut by a line break, an activity's "Đơn vị chủ trì:" lines, collective addressees, titles
standing for their bodies, deadlines and dates the calendar does not have, table columns known
by what their cells hold.

The texts are short invented fixtures in the style of the documents; no index is built.
"""

from __future__ import annotations

from datetime import date

from ingest.assign import assign
from ingest.bodies import find_bodies
from ingest.deadlines import deadlines
from ingest.outline import parse
from ingest.pipeline import parse_bytes


def _read(text: str):
    doc = parse(text, "fixture")
    doc.assignments = assign(doc)
    return doc


def _of(doc, path: str) -> dict[str, str]:
    """Body → role of one clause's assignments."""
    cid = doc.clause(path).id
    return {a.agency: a.role for a in doc.assignments if a.clause_id == cid}


PLAN = """KẾ HOẠCH
Triển khai chương trình mẫu

III. TỔ CHỨC THỰC HIỆN

1. Sở Tài
chính

Chủ trì, phối hợp với Sở Giáo dục và Đào tạo cân đối kinh phí thực hiện Kế hoạch.

2. Sở
Công Thương

Theo dõi, đôn đốc các đơn vị thực hiện Kế hoạch.

3. Giao Sở Xây dựng
Chủ trì, phối hợp với Công an tỉnh hướng dẫn áp dụng giải pháp kỹ thuật.

4. Các sở, ban, ngành phối hợp với Sở Khoa học và Công nghệ triển khai nền tảng số dùng chung.

5. Hằng năm, thông qua Sở Khoa học và Công nghệ tham mưu Ủy ban nhân dân tỉnh đánh giá kết quả.

6. UBND các xã, phường và Sở Nội vụ rà soát đội ngũ cán bộ làm công tác số.

7. Chủ tịch UBND tỉnh quyết định danh mục nhiệm vụ trọng tâm.

8. Đẩy mạnh ứng dụng trí tuệ nhân tạo

- Ra mắt trợ lý ảo pháp luật cho cán bộ, công chức.

*Đơn vị chủ trì tham mưu thực hiện: *Sở Tư pháp.

*Đơn vị phối hợp thực hiện: *Sở Khoa học và Công nghệ.

*Thời gian thực hiện: *Tháng 12/2026.
"""


def test_a_name_cut_by_the_line_break_is_read_whole():
    doc = _read(PLAN)
    assert _of(doc, "III.1").get("Sở Tài chính") == "chủ trì"
    assert "Sở Tài" not in _of(doc, "III.1")
    assert "Sở Công Thương" in _of(doc, "III.2")


def test_a_capital_that_opens_the_body_text_is_not_part_of_the_name():
    roles = _of(_read(PLAN), "III.3")
    assert roles.get("Sở Xây dựng") == "chủ trì"
    assert not any("Chủ trì" in name for name in roles)


def test_an_activitys_own_lead_and_partner_lines():
    doc = _read(PLAN)
    roles = _of(doc, "III.8/1")
    assert roles == {"Sở Tư pháp": "chủ trì", "Sở Khoa học và Công nghệ": "phối hợp"}
    lead = next(a for a in doc.assignments if a.agency == "Sở Tư pháp")
    assert [d["due"] for d in lead.deadlines] == ["2026-12-31"]


def test_a_collective_that_works_with_a_named_body_is_led_by_it():
    roles = _of(_read(PLAN), "III.4")
    assert roles == {"Các sở, ban, ngành": "phối hợp", "Sở Khoa học và Công nghệ": "chủ trì"}


def test_through_a_body_it_takes_part_and_the_heading_body_does_the_task():
    roles = _of(_read(PLAN), "III.5")
    assert roles.get("Sở Khoa học và Công nghệ") == "phối hợp"  # not a report it receives, nor the task itself
    assert roles and "nhận báo cáo" not in roles.values()


def test_collective_addressees_are_marked_and_specific_bodies_are_not():
    doc = _read(PLAN)
    cid = doc.clause("III.6").id
    collective = {a.agency: a.collective for a in doc.assignments if a.clause_id == cid}
    assert collective == {"UBND các xã, phường": True, "Sở Nội vụ": False}
    assert all(a.collective for a in doc.assignments if a.agency == "Các sở, ban, ngành")


def test_a_title_stands_for_its_body():
    assert "UBND tỉnh" in _of(_read(PLAN), "III.7")
    assert [b.name for b in find_bodies("Bộ trưởng Bộ Tài nguyên và Môi trường chỉ đạo")] == ["Bộ Tài nguyên và Môi trường"]


def test_names_are_neither_padded_nor_cut():
    names = lambda text: [(b.name, b.collective) for b in find_bodies(text)]
    assert names("các đơn vị báo cáo Sở Xây dựng hàng tháng") == [("các đơn vị", True), ("Sở Xây dựng", False)]
    assert names("Thường trực Tỉnh ủy chỉ đạo") == [("Thường trực Tỉnh ủy", False)]
    assert names("Ban Tuyên giáo và Dân vận Tỉnh ủy hướng dẫn") == [("Ban Tuyên giáo và Dân vận Tỉnh ủy", False)]
    assert names("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương") == [
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", True)]
    assert names("UBND cấp xã") == [("UBND cấp xã", True)]
    assert names("Đề nghị Báo và Phát thanh, Truyền hình tỉnh đẩy mạnh tuyên truyền") == [
        ("Báo và Phát thanh, Truyền hình tỉnh", False)]
    assert names("Đề nghị Văn phòng Tỉnh ủy và các Ban Xây dựng Đảng tăng cường") == [
        ("Văn phòng Tỉnh ủy", False), ("các Ban Xây dựng Đảng", True)]


def test_deadlines_as_directives_write_them():
    def read(text):
        return [(d.due, d.every) for d in deadlines(text)]

    assert read("Thời gian dự kiến: từ nay đến hết năm 2026") == [("2026-12-31", None)]
    assert read("hoàn thành trước thời điểm 30/4/2026") == [("2026-04-30", None)]
    assert read("Định kỳ ngày 20 hàng tháng báo cáo") == [(None, "month")]
    assert read("báo cáo định kỳ 6 tháng") == [(None, "6 months")]
    assert read("hoàn thành trong quý IV/2026") == [("2026-12-31", None)]


def test_a_date_the_calendar_lacks_is_no_deadline_but_a_warning():
    text = PLAN.replace("Tháng 12/2026", "trước ngày 31/6/2025") + (
        "\n9. Sở Y tế báo cáo trước ngày 29/02/2025 và trước ngày 30/02 hằng năm; hoàn thành đến năm 0001.\n")
    doc = parse_bytes(text.encode(), "fixture-ngay-khong-co-that.md")
    shown = " ".join(doc.warnings)
    for words in ("31/6/2025", "29/02/2025", "30/02 hằng năm", "năm 0001"):
        assert words in shown
    dues = [d for a in doc.assignments for d in a.deadlines]
    for d in dues:  # what the agency's calendar turns into dates
        if d.get("due"):
            date.fromisoformat(d["due"])
        if d.get("month") and d.get("day"):
            date(2025, d["month"], d["day"])
    assert not any("31/6" in d["text"] or "29/02" in d["text"] for d in dues)


TABLE = """KẾ HOẠCH
Phụ lục
| TT | Chỉ tiêu | Đơn vị | Cơ quan theo dõi | Cơ quan phối hợp |
| 1 | Tỷ lệ hồ sơ xử lý trực tuyến | % | Sở Khoa học và Công nghệ | Sở Nội vụ |
| 2 | Số doanh nghiệp được hỗ trợ | doanh nghiệp | Sở Công Thương | Sở Tài chính |

| TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Ghi chú |
| 1 | Xây dựng cơ sở dữ liệu ngành | Năm 2025; Năm 2030 | Sở Y tế | |
| 2 | Số hóa hồ sơ lưu trữ | Năm 2026 | Sở Nội vụ | |
"""


def test_table_columns_are_known_by_what_their_cells_hold():
    doc = _read(TABLE)
    names = {a.agency for a in doc.assignments}
    assert not names & {"%", "doanh nghiệp", "Năm 2025; Năm 2030", "Năm 2026"}
    assert _of(doc, "T1.1") == {"Sở Khoa học và Công nghệ": "chủ trì", "Sở Nội vụ": "phối hợp"}
    row = next(a for a in doc.assignments if a.agency == "Sở Y tế")
    assert row.role == "phối hợp" and [d["due"] for d in row.deadlines] == ["2030-12-31"]


def test_rows_joined_by_bars_give_lead_partners_and_deadline():
    text = """KẾ HOẠCH
Phụ lục
| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
| 1 | Rà soát quy định về cơ sở dữ liệu | Sở Tài chính | Các sở, ngành, UBND xã, phường, đặc khu | Quý IV/2025 |
"""
    doc = _read(text)
    roles = _of(doc, "T1.1")
    assert roles["Sở Tài chính"] == "chủ trì"
    assert set(roles.values()) == {"chủ trì", "phối hợp"} and len(roles) >= 2
    lead = next(a for a in doc.assignments if a.agency == "Sở Tài chính")
    assert [d["due"] for d in lead.deadlines] == ["2025-12-31"]


def test_a_column_of_lead_and_partners_gives_the_first_body_the_lead():
    text = """KẾ HOẠCH
Phụ lục
| TT | Nội dung | Đơn vị chủ trì/phối hợp | Thời gian |
| 1 | Xây dựng cơ sở dữ liệu ngành y tế | Sở Y tế; Sở Tài chính, các sở liên quan | Quý IV/2026 |
"""
    assert _of(_read(text), "T1.1") == {"Sở Y tế": "chủ trì", "Sở Tài chính": "phối hợp", "các sở liên quan": "phối hợp"}
