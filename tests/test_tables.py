"""Task tables in the forms real files give them: a page capture (one cell per block of lines,
cells spanning several rows, group rows, an appendix title between two tables) and Markdown
(a target table with a unit column, a procedure table whose step column holds "Bước 1", a row
that runs on into the next table's header, a table that goes on after a line of its own).

The fixtures are invented tables in the style of the documents; no index is built.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import parse_bytes
from ingest.table_align import align

FIXTURES = Path(__file__).parent / "fixtures"


def _doc(name: str):
    return parse_bytes((FIXTURES / name).read_bytes(), name)


@pytest.fixture(scope="module")
def capture():
    return _doc("fixture-ke-hoach-bang-trang-luu.md")


@pytest.fixture(scope="module")
def markdown():
    return _doc("fixture-ke-hoach-bang-markdown-mau.md")


def _row(doc, words: str):
    """The table row whose text holds ``words`` (not the group row above it, whose text holds its rows')."""
    rows = [c for c in doc.clauses if c.kind == "row" and words in " ".join(c.text.split())]
    rows = [c for c in rows if not any(r.parent == c.id for r in rows)]
    assert len(rows) == 1, [c.path for c in rows]
    return rows[0]


def _roles(doc, words: str) -> dict[str, str]:
    row = _row(doc, words)
    return {a.agency: a.role for a in doc.assignments if a.clause_id == row.id}


def _dues(doc, words: str, agency: str) -> list[str]:
    row = _row(doc, words)
    return [d["due"] for a in doc.assignments if a.clause_id == row.id and a.agency == agency for d in a.deadlines]


def test_rows_under_a_merged_lead_cell_keep_the_lead_partners_and_their_own_deadline(capture):
    # The lead and partner cells span three rows: the second and third rows have three cells each.
    for words in ("Rà soát nội dung danh mục dịch vụ công mẫu", "Tổ chức tập huấn nội dung chuyển đổi số"):
        assert _roles(capture, words) == {"Sở Khoa học và Công nghệ": "chủ trì", "Sở Tài chính": "phối hợp",
                                          "Sở Nội vụ": "phối hợp"}
    assert _dues(capture, "Rà soát nội dung danh mục", "Sở Khoa học và Công nghệ") == ["2099-12-31"]
    assert _dues(capture, "Tổ chức tập huấn nội dung", "Sở Khoa học và Công nghệ") == ["2098-12-31"]
    assert _dues(capture, "Xây dựng cơ sở dữ liệu mẫu", "Sở Khoa học và Công nghệ") == ["2097-12-31"]


def test_a_time_or_product_cell_is_never_a_body(capture, markdown):
    names = {a.agency for doc in (capture, markdown) for a in doc.assignments}
    assert not [n for n in names if n.split()[0] in ("Giai", "Ban", "Danh", "Các lớp", "I,", "I", "Quy", "Bước", "%")]
    assert not names & {"I, II", "I", "%", "80", "nền tảng", "Bước 1", "Năm 2099"}


def test_group_rows_head_the_rows_below_and_name_no_lead(capture):
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" not in {a.agency for a in capture.assignments}
    assert _row(capture, "Xây dựng hồ sơ sức khỏe điện tử mẫu").path == "T1.B.2"
    assert _roles(capture, "Xây dựng hồ sơ sức khỏe điện tử mẫu") == {"Sở Y tế": "chủ trì", "Sở Tài chính": "phối hợp"}
    assert _row(capture, "Dự án kho dữ liệu dùng chung mẫu").path == "T2.I.1"  # "I." alone in its cell


def test_an_appendix_title_between_two_tables_starts_the_next_table(capture):
    assert any(c.kind == "appendix" and "PHỤ LỤC II" in c.text[:40] for c in capture.clauses)
    assert _roles(capture, "Dự án kho dữ liệu dùng chung mẫu") == {"Sở Khoa học và Công nghệ": "chủ trì",
                                                                  "Các sở, ngành liên quan": "phối hợp"}
    assert _roles(capture, "Dự án bản đồ số mẫu") == {"Sở Xây dựng": "chủ trì", "Sở Tài chính": "phối hợp"}
    # the last row of the first table keeps its own cells only
    assert _roles(capture, "Xây dựng hồ sơ sức khỏe điện tử mẫu") == {"Sở Y tế": "chủ trì", "Sở Tài chính": "phối hợp"}


def test_a_target_tables_body_answers_for_its_figure_and_its_unit_and_values_are_no_bodies(markdown):
    assert _roles(markdown, "Tỷ lệ hồ sơ xử lý trực tuyến") == {"Sở Khoa học và Công nghệ": "chủ trì"}
    assert _roles(markdown, "Số nền tảng dùng chung") == {"Sở Tài chính": "chủ trì"}


def test_a_step_column_and_a_header_run_into_a_row(markdown):
    assert _roles(markdown, "Tiếp nhận hồ sơ mẫu") == {"Sở Nội vụ": "chủ trì"}
    # "Tổng thời gian | 04 ngày | <the next table's title> | Bước thực hiện | …": the next table's header
    assert _roles(markdown, "Tiếp nhận đề nghị cấp phép mẫu") == {"Sở Xây dựng": "chủ trì"}


def test_a_table_goes_on_after_a_line_of_its_own_and_a_row_with_header_words(markdown):
    assert _roles(markdown, "Số hóa học bạ mẫu") == {"Sở Giáo dục và Đào tạo": "chủ trì", "Sở Nội vụ": "phối hợp"}
    assert _roles(markdown, "Tập huấn nội dung và nhiệm vụ") == {"Sở Nội vụ": "chủ trì", "Sở Tư pháp": "phối hợp"}


def test_short_rows_are_aligned_by_what_their_cells_hold():
    kinds = ["number", "lead", "partner", "task", "product", "deadline"]
    assert align(["Rà soát quy trình mẫu", "Quy trình được ban hành", "Ban hành trong năm 2099"], kinds) == \
        [None, None, None, 0, 1, 2]
    assert align(["3", "Lập bản đồ mẫu", "Bản đồ số", "Quý II/2099"], kinds) == [0, None, None, 1, 2, 3]
    steps = ["step", "lead", "task", "deadline", "other"]
    assert align(["Bước 3", "Chuyên viên được giao", "Thẩm tra hồ sơ mẫu", "04 giờ"], steps) == [0, 1, 2, 3, None]
    # a group column, the task, its product and a deadline written as a sentence ("Ban hành trong năm …")
    grouped = ["number", "lead", "partner", "task", "task", "product", "deadline"]
    assert align(["Rà soát quy trình mẫu", "Quy trình được ban hành", "Ban hành trong năm 2099, rà soát hằng năm"],
                 grouped) == [None, None, None, None, 0, 1, 2]


def test_a_table_attached_after_the_signature_under_its_own_title_is_read():
    doc = _doc("fixture-quyet-dinh-lich-kem-theo-mau.md")
    part = next(c for c in doc.clauses if c.kind == "part")
    assert part.heading == "LỊCH PHỔ BIẾN THÔNG TIN MẪU NĂM 2099"
    # "A | B | 1 | 2 …" numbers the columns: no row of its own, no group
    assert [c.heading for c in doc.clauses if c.kind == "row"] == ["Số trường học mẫu", "Số giáo viên mẫu",
                                                                     "Mức chi hội nghị mẫu"]
    assert _row(doc, "Số trường học mẫu").parent == part.id
    assert _roles(doc, "Số trường học mẫu") == {"Sở Giáo dục và Đào tạo": "chủ trì"}
    # "2 | Số giáo viên mẫu | Sơ bộ": its time, form and body are the merged cells of the row above
    assert _roles(doc, "Số giáo viên mẫu") == {"Sở Giáo dục và Đào tạo": "chủ trì"}
    assert _dues(doc, "Số giáo viên mẫu", "Sở Giáo dục và Đào tạo") == ["2099-06-30"]
    assert _roles(doc, "Mức chi hội nghị mẫu") == {}  # a sum in the body column is no body


def test_a_header_repeated_without_its_tt_cell_keeps_the_columns(markdown):
    # "Nhiệm vụ | Cơ quan chủ trì | …" again after a page break, its TT cell merged away: the rows
    # below still have five cells
    assert _roles(markdown, "Cập nhật bản đồ quy hoạch mẫu") == {"Sở Công Thương": "chủ trì", "Sở Xây dựng": "phối hợp"}


def _capture_table(rows: list[list[str]]) -> str:
    """A page capture of a table: each cell a block of lines closed by a line holding "|", each
    row opened by one; an empty cell is a bar with nothing before it."""
    out = ["KẾ HOẠCH MẪU", "", "Phụ lục: nhiệm vụ mẫu", ""]
    for row in rows:
        out.append("|")
        for cell in row:
            out += [cell, "|"] if cell else ["|"]
    return "\n".join(out + ["", "Nơi nhận: mẫu"]) + "\n"


def test_a_capture_row_ending_in_empty_cells_leaves_the_next_row_in_its_columns():
    # "… | 2099 | | |" then "2 | …": the empty last cell is the row's own, not the next row's
    # first cell, which would put the next task under the lead column and its lead under partners
    header = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Ghi chú"]
    text = _capture_table([
        header,
        ["1", "Lập danh mục thiết bị mẫu", "Sở Xây dựng", "Sở Tài chính", "2099", ""],
        ["2", "Hướng dẫn chi trả chi phí mẫu", "Sở Y tế", "Sở Tài chính và các địa phương", "2099", ""],
        ["3", "Tổ chức diễn tập mẫu", "Công an tỉnh", "Sở Y tế", "2098", ""],
    ])
    doc = parse_bytes(text.encode(), "fixture-bang-o-trong-cuoi-dong.md")
    assert _roles(doc, "Hướng dẫn chi trả chi phí mẫu") == {"Sở Y tế": "chủ trì", "Sở Tài chính": "phối hợp",
                                                          "các địa phương": "phối hợp"}
    assert _roles(doc, "Tổ chức diễn tập mẫu") == {"Công an tỉnh": "chủ trì", "Sở Y tế": "phối hợp"}
    assert _row(doc, "Tổ chức diễn tập mẫu").cells["Thời gian hoàn thành"] == "2098"


def test_a_cell_opening_with_can_cu_inside_a_row_is_that_rows_task():
    # "2 | Sở X | Căn cứ quy định tại … để rà soát …": a preamble's "Căn cứ" opens the body only in
    # a row's first cell; inside a row it is what the body does, and the table goes on below it
    header = ["TT", "Cơ quan, bộ phận thực hiện", "Nội dung công việc", "Thời gian"]
    text = _capture_table([
        header,
        ["1", "Trung tâm Phục vụ hành chính công mẫu", "Tiếp nhận hồ sơ mẫu, vào sổ theo dõi", "0,5 ngày"],
        ["2", "Sở Xây dựng", "Căn cứ khoản 2 Điều 99 Quy chế mẫu và\nhồ sơ mẫu đã nhận để rà soát khu đất"
         " mẫu;\nlập danh mục khu đất mẫu gửi Hội đồng mẫu.\nKhi hai tổ chức mẫu cùng xin một khu đất"
         "\nthì xét tổ chức gửi trước.", "10 ngày"],
        ["3", "UBND tỉnh", "Ký văn bản phê duyệt danh mục mẫu", "3 ngày"],
    ])
    doc = parse_bytes(text.encode(), "fixture-bang-can-cu-trong-o.md")
    row = _row(doc, "Sở Xây dựng")
    assert row.cells["Nội dung công việc"].startswith("Căn cứ khoản 2 Điều 99")  # not the row above's task
    assert row.cells["Thời gian"] == "10 ngày"
    assert _roles(doc, "Sở Xây dựng") == {"Sở Xây dựng": "chủ trì"}
    assert _row(doc, "Ký văn bản phê duyệt danh mục mẫu").path == "T1.3"  # the same table goes on


def test_the_portals_tail_below_a_capture_is_no_part_of_the_document():
    # Below the text the portal repeats the title, says it has no English version, lists related
    # documents and ends with its own address in a table: none of it is the document's
    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]
    text = _capture_table([header, ["1", "Lập danh mục thiết bị mẫu", "Sở Xây dựng", "2099"]])
    text = text.replace("Nơi nhận: mẫu\n", "|\n|\n** **\nKế hoạch mẫu về thiết bị mẫu\n"
                        "Văn bản này chưa cập nhật nội dung Tiếng Anh\nKế hoạch mẫu về thiết bị mẫu\n"
                        "## Văn bản liên quan\nBan hành:\n01/01/2099\nHiệu lực: Đã biết\n|\n|\n|\n"
                        "**Địa chỉ:**\n|\nSố 1 đường Mẫu\n|\n**Điện thoại:**\n|\n(000) 0000 0000\n|\n"
                        "**E-mail:**\n|\nmau@example.invalid\n|\n")
    doc = parse_bytes(text.encode(), "fixture-trang-luu-co-duoi.md")
    assert _roles(doc, "Lập danh mục thiết bị mẫu") == {"Sở Xây dựng": "chủ trì"}
    assert {a.agency for a in doc.assignments} == {"Sở Xây dựng"}
    assert not any("Văn bản liên quan" in c.text or "Điện thoại" in c.text for c in doc.clauses)


def test_a_letters_body_in_the_cell_after_its_addressees_is_read():
    # "Kính gửi: | <addressees> | <the letter's body>": the page puts the whole letter in its layout
    # table; the body is the letter's text, not a third cell of an addressee row
    text = "\n".join([
        "|", "**ỦY BAN NHÂN DÂN**", "**TỈNH MẪU**", "|", "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
        "Độc lập - Tự do - Hạnh phúc", "|", "|", "Số: 99/UBND-KT", "*V/v rà soát kinh phí mẫu*", "|",
        "*Tỉnh Mẫu, ngày 02 tháng 12 năm 2099*", "|", "|", "**Kính gửi:**", "|",
        "Chủ tịch Ủy ban nhân dân các xã mẫu.", "|",
        "Xét đề nghị của Sở Xây dựng về kinh phí mẫu, Ủy ban nhân dân tỉnh có ý kiến như sau:",
        "Sở Tài chính khẩn trương rà soát kinh phí mẫu, báo cáo Ủy ban nhân dân tỉnh trước ngày",
        "10/12/2099.", "|", "*Nơi nhận:*", "- Như trên;", "|", "**TM. ỦY BAN NHÂN DÂN**", "|", ""])
    doc = parse_bytes(text.encode(), "fixture-cong-van-trang-luu.md")
    roles = {a.agency: a.role for a in doc.assignments}
    assert roles.get("Sở Tài chính") == "thực hiện"
    assert roles.get("Ủy ban nhân dân tỉnh") == "nhận báo cáo"
    assert [d["due"] for a in doc.assignments if a.agency == "Sở Tài chính" for d in a.deadlines] == ["2099-12-10"]
