"""Who does what in the forms regulations, telegrams and plans give it: a sentence that opens a
list of points, a heading that names a lead and its partners, a role holder a rule charges
("Trách nhiệm của X", "X có trách nhiệm …"), a telegram's addressees, a role that goes on after a
semicolon, verbs the tagger reads as nouns, lists of rights or conditions (no tasks), a group that
belongs to a body ("các đơn vị thuộc Bộ") and titles that stand for their bodies.

The texts are invented fixtures; these tests build no index.
"""

from __future__ import annotations

from tests.test_assignment_reading import _of, _read


def test_a_sentence_that_opens_a_list_gives_its_subject_the_listed_tasks():
    # "1. X thực hiện các việc sau:" and the points under it: each is X's, unless it names its own
    # subject; a dossier is lodged with the body named after "nộp … tại"
    text = """NGHỊ QUYẾT
Mẫu (tài liệu kiểm thử)

Điều 6. Thực hiện
1. Ủy ban nhân dân tỉnh Mẫu thực hiện các việc sau:
a) Lập lộ trình mẫu;
b) Cấp đủ kinh phí cho kho mẫu;
c) Sở Xây dựng rà soát kho mẫu.
2. Người xin cấp thẻ mẫu nộp tờ khai tại Trung tâm Phục vụ hành chính công tỉnh.
"""
    doc = _read(text)
    assert _of(doc, "Điều 6.1.a") == {"Ủy ban nhân dân tỉnh Mẫu": "thực hiện"}
    assert _of(doc, "Điều 6.1.b") == {"Ủy ban nhân dân tỉnh Mẫu": "thực hiện"}
    assert _of(doc, "Điều 6.1.c") == {"Sở Xây dựng": "thực hiện"}
    assert _of(doc, "Điều 6.2") == {"Trung tâm Phục vụ hành chính công tỉnh": "nhận báo cáo"}


def test_a_rule_that_names_a_role_holder_charges_it():
    # a regulation's addressees by role: an article "Trách nhiệm của X" with points under it, a
    # sentence "X có trách nhiệm …"; "tổ chức" as a verb, and a noun that holds no role, are none
    text = """QUY CHẾ
Mẫu (tài liệu kiểm thử)

Điều 7. Trách nhiệm của doanh nghiệp cung cấp dịch vụ mẫu
1. Bảo đảm hệ thống mẫu vận hành liên tục.
2. Khắc phục sự cố trong 24 giờ.
Điều 8. Niêm yết kết quả mẫu
Cơ quan lập phương án có trách nhiệm niêm yết kết quả mẫu tại trụ sở.
Điều 9. Trách nhiệm tổ chức thực hiện
1. Hồ sơ mẫu có trách nhiệm được lưu trữ.
"""
    doc = _read(text)
    assert _of(doc, "Điều 7.1") == {"doanh nghiệp cung cấp dịch vụ mẫu": "thực hiện"}
    assert _of(doc, "Điều 7.2") == {"doanh nghiệp cung cấp dịch vụ mẫu": "thực hiện"}
    assert _of(doc, "Điều 8") == {"Cơ quan lập phương án": "thực hiện"}
    assert _of(doc, "Điều 9.1") == {}


def test_a_telegrams_addressees_have_no_task_before_its_text():
    text = """CÔNG ĐIỆN
Mẫu (tài liệu kiểm thử)
THỦ TƯỚNG CHÍNH PHỦ điện:
- Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân các tỉnh: Mẫu Một, Mẫu Hai.
1. Ủy ban nhân dân các tỉnh kiểm tra kho mẫu.
"""
    doc = _read(text)
    assert not [a for a in doc.assignments if "preamble" in a.clause_id]
    assert _of(doc, "1") == {"Ủy ban nhân dân các tỉnh": "thực hiện"}


def test_phoi_hop_cung_cap_is_a_supporting_role_not_a_partner_list():
    # "cung cấp" (provide) folds as "cùng" (with) does; a body that "phối hợp cung cấp" supports
    doc = _read("""QUYẾT ĐỊNH
Mẫu (tài liệu kiểm thử)

Điều 9. Trách nhiệm của các cơ quan
1. Sở Tài chính: Chủ trì lập bảng giá mẫu.
2. Thống kê tỉnh Mẫu: Phối hợp cung cấp số liệu chỉ số giá mẫu.
""")
    assert _of(doc, "Điều 9.2") == {"Thống kê tỉnh Mẫu": "phối hợp"}


def test_a_heading_that_names_a_lead_and_partners_gives_each_its_role_in_every_point():
    doc = _read("""CÔNG ĐIỆN
Mẫu (tài liệu kiểm thử)

1. Bộ Mẫu chủ trì, phối hợp với Bộ Thử nghiệm:
a) Kiểm đếm hàng mẫu trong kho;
b) Tham mưu Thủ tướng Chính phủ chuyển hàng mẫu.
""")
    assert _of(doc, "1.a") == {"Bộ Mẫu": "chủ trì", "Bộ Thử nghiệm": "phối hợp"}
    assert _of(doc, "1.b")["Bộ Mẫu"] == "tham mưu"  # a point's own role stands
    assert _of(doc, "1.b")["Bộ Thử nghiệm"] == "phối hợp"


def test_verbs_the_tagger_reads_as_nouns_still_end_the_subject():
    # a law's delegation ("Chính phủ quy định chi tiết …") is the Government's task; "quy định tại"
    # specifies, it gives no task
    doc = _read("""LUẬT
Mẫu (tài liệu kiểm thử)

Điều 5. Dữ liệu mẫu
1. Chính phủ quy định chi tiết khoản 2 Điều này.
2. Dữ liệu do cơ quan quy định tại khoản 1 Điều này quản lý.
3. Sở Tài chính kiểm kê kho dữ liệu mẫu hằng năm.
""")
    assert _of(doc, "Điều 5.1") == {"Chính phủ": "thực hiện"}
    assert _of(doc, "Điều 5.3") == {"Sở Tài chính": "thực hiện"}


def test_a_circumstance_before_phoi_hop_voi_keeps_the_two_bodies_partners():
    doc = _read("""KẾ HOẠCH
Mẫu (tài liệu kiểm thử)

III. TỔ CHỨC THỰC HIỆN
2. Sở Tài chính
a) Chủ trì tham mưu dự toán mẫu.
b) Trên cơ sở dự toán được giao, phối hợp với Sở Y tế đề xuất nguồn vốn cho kho mẫu.
""")
    assert _of(doc, "III.2.b") == {"Sở Tài chính": "phối hợp", "Sở Y tế": "phối hợp"}


def test_a_sentence_that_goes_on_after_a_semicolon_keeps_its_role():
    doc = _read("""QUYẾT ĐỊNH
Mẫu (tài liệu kiểm thử)

Điều 8. Phân công
1. Sở Tài chính: Chủ trì lập bảng giá mẫu.
2. Thống kê tỉnh Mẫu: Phối hợp cung cấp số liệu giá mẫu; phân tích diễn biến giá mẫu trong kỳ.
""")
    assert _of(doc, "Điều 8.2") == {"Thống kê tỉnh Mẫu": "phối hợp"}


def test_a_list_of_rights_or_conditions_gives_no_tasks():
    doc = _read("""LUẬT
Mẫu (tài liệu kiểm thử)

Điều 18. Quyền của người lao động mẫu
1. Người lao động có quyền sau đây:
a) Được hỗ trợ học nghề mẫu;
b) Được tư vấn việc làm mẫu.
2. Thương nhân kinh doanh tại chợ mẫu phải đáp ứng các điều kiện sau:
a) Ngành nghề kinh doanh không thuộc danh mục cấm.
""")
    assert _of(doc, "Điều 18.1.a") == {} and _of(doc, "Điều 18.2.a") == {}


def test_a_heading_wrapped_in_a_capture_names_its_lead_and_partners():
    # a telegram captured hard-wrapped at 80 columns, with the portal's unwrapped paragraphs around
    # it: a heading that runs onto the next line still names its partners ("… và" / "các địa
    # phương:") and its lead's role ("Bộ Mẫu Bắc, Bộ Mẫu Cao theo chức năng …" / "chủ trì, …"), and
    # a name cut at the end of a line it runs on to is read whole
    filler = " ".join(["Văn bản mẫu được trích xuất và ngắt dòng cứng ở tám mươi cột, các câu chạy",
                       "tiếp qua nhiều dòng liền nhau mà không có dấu câu ở cuối dòng nào cho đến"] * 8)
    lines = [filler[i : i + 78].strip() for i in range(0, len(filler), 78)]
    furniture = "\n".join(["Đoạn giới thiệu của trang được viết trên một dòng dài, không ngắt. " * 4] * 6)
    text = "\n".join([
        "CÔNG ĐIỆN", "Mẫu (tài liệu kiểm thử)", furniture, *lines,
        "1. Bộ Mẫu A chủ trì, phối hợp với Bộ Mẫu Đông, Bộ Mẫu Giang, Bộ Mẫu Hà và",
        "các địa phương:",
        "a) Lập danh sách kho mẫu cần kiểm kê trong mùa mưa năm nay theo hướng dẫn",
        "của cơ quan chủ trì.",
        "2. Bộ Mẫu Bắc, Bộ Mẫu Cao theo chức năng, nhiệm vụ, thẩm quyền quản lý",
        "chủ trì, phối hợp với các địa phương:",
        "a) Điều xe chở hàng mẫu tới những nơi bị cô lập sau mưa lớn, giữ gìn hàng mẫu",
        "“theo quy định tại Điều 5.”",
        "3. Về việc phân phối",
        "(1) Bộ Mẫu D giao Ban Quản lý kho mẫu, các đơn vị",
        "liên quan phối hợp với các cơ quan chuyên môn thuộc Bộ Xây dựng, Bộ Quốc",
        "phòng rà soát việc phân phối hàng mẫu đến các vùng bị chia cắt trong mùa mưa.",
        "- Giao Ban Quản lý kho mẫu lập sổ theo dõi hàng mẫu.",
        "4. Ủy ban nhân dân các tỉnh, thành phố trực thuộc",
        "trung ương chịu trách nhiệm trước Chính phủ, Thủ tướng Chính phủ về kho mẫu,",
        "báo cáo tình hình và kết quả giữ gìn hàng mẫu trên địa bàn mỗi quý, cụ thể:",
        "- Lập sổ kho mẫu của tỉnh và cập nhật sổ sau mỗi đợt mưa lớn trên địa bàn.",
        "5. Bộ Mẫu Sơn, Ủy ban nhân dân các",
        "tỉnh, thành phố niêm yết công khai danh mục kho mẫu tại trụ sở của cơ quan, đơn vị.",
    ]) + "\n"
    doc = _read(text)
    assert doc.wrapped
    assert _of(doc, "1.a") == {"Bộ Mẫu A": "chủ trì", "Bộ Mẫu Đông": "phối hợp", "Bộ Mẫu Giang": "phối hợp",
                               "Bộ Mẫu Hà": "phối hợp", "các địa phương": "phối hợp"}
    assert _of(doc, "2.a") == {"Bộ Mẫu Bắc": "chủ trì", "Bộ Mẫu Cao": "chủ trì", "các địa phương": "phối hợp"}
    # the heading runs on to a line that ends in a name the break cuts ("Bộ Quốc" / "phòng")
    assert _of(doc, "3.(1)")["Bộ Quốc phòng"] == "phối hợp" and "Bộ Quốc" not in _of(doc, "3.(1)")
    # a heading cut inside its name ("… trực thuộc" / "trung ương chịu trách nhiệm trước Chính phủ
    # …"): the heading is the name; whom it answers to is no addressee of its points
    assert _of(doc, "4") == {"Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương": "thực hiện"}
    assert _of(doc, "4/1") == {"Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương": "thực hiện"}
    assert _of(doc, "5") == {"Bộ Mẫu Sơn": "thực hiện", "Ủy ban nhân dân các tỉnh, thành phố": "thực hiện"}


def test_points_numbered_in_brackets_are_clauses_each_with_its_own_body():
    # a Party conclusion's or a letter's "(1) …", "(2) …" points: each is cited on its own and read
    # with its own subject; a form's blank "(1) ……" and a "(3)" that opens no list are text
    text = """KẾT LUẬN
Mẫu (tài liệu kiểm thử)

2. Về nhiệm vụ thời gian tới
Đề nghị các cơ quan tập trung thực hiện tốt các nhiệm vụ sau:
(1) Sở Tài chính chủ trì rà soát quy chế chi tiêu mẫu.
- Tổ chức hội nghị mẫu trong quý I năm 2099.
(2) Sở Nội vụ theo dõi, đôn đốc việc thực hiện quy chế mẫu.
3. Biểu mẫu
(1) ……………………
(3) Ủy ban nhân dân các xã, phường báo cáo kết quả mẫu.
"""
    doc = _read(text)
    paths = [c.path for c in doc.clauses]
    assert {"2.(1)", "2.(1)/1", "2.(2)"} <= set(paths)
    assert not any(p.startswith("3.(") for p in paths)
    assert _of(doc, "2.(1)") == {"Sở Tài chính": "chủ trì"}
    assert _of(doc, "2.(2)") == {"Sở Nội vụ": "theo dõi, đôn đốc"}
    assert next(c for c in doc.clauses if c.path == "2.(2)").label.endswith("ý (2)")


def test_a_report_s_route_in_brackets_receives_it():
    # "phản hồi … về UBND tỉnh (thông qua Sở X)": both receive the report; "thông qua Sở X tham mưu"
    # in a sentence of its own is the way a task is done, with Sở X taking part
    text = """KẾ HOẠCH
Mẫu (tài liệu kiểm thử)

III. TỔ CHỨC THỰC HIỆN
1. Các sở, ngành phản hồi ý kiến mẫu về Ủy ban nhân dân tỉnh (thông qua Sở Nội vụ) trong tháng 5.
2. Hằng năm, thông qua Sở Khoa học và Công nghệ tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí mẫu.
"""
    doc = _read(text)
    assert _of(doc, "III.1") == {"Các sở, ngành": "thực hiện", "Ủy ban nhân dân tỉnh": "nhận báo cáo",
                                 "Sở Nội vụ": "nhận báo cáo"}
    assert _of(doc, "III.2")["Sở Khoa học và Công nghệ"] == "phối hợp"


def test_a_notice_with_no_numbering_is_read_paragraph_by_paragraph():
    # a conclusion captured as an article: dashes and "(1)" paragraphs, no numbered item above them.
    # Each is a clause of its own with its own body, not one clause of thousands of characters; a
    # name set in bold inside a list of subjects ("-** Giao X**, Y …") is read with the others
    intro = "Bài viết mẫu tóm tắt nội dung kết luận về trường học mẫu ở các xã mẫu, viết để kiểm thử. " * 14
    text = "\n".join([
        "Toàn văn Thông báo mẫu về trường học mẫu (tài liệu kiểm thử)", "", intro, "",
        "- Thống nhất chủ trương xây dựng trường học mẫu tại các xã mẫu trong năm 2099.", "",
        "- Giao Đảng ủy Chính phủ lãnh đạo, chỉ đạo các bộ, ngành triển khai chủ trương trên. Trong đó:", "",
        "**(1) Đảng ủy Bộ Giáo dục và Đào tạo** chủ trì rà soát quy định về trường mẫu.", "",
        "**(2) Đảng ủy Bộ Xây dựng** chủ trì lập thiết kế trường mẫu.", "",
        "-** Giao Đảng ủy Mặt trận Tổ quốc Việt Nam**, các đoàn thể Trung ương phát động ủng hộ trường mẫu.",
    ]) + "\n"
    doc = _read(text)
    paths = [c.path for c in doc.clauses]
    assert paths == ["preamble", *(f"preamble/{k}" for k in range(1, 6))]
    assert _of(doc, "preamble/3") == {"Đảng ủy Bộ Giáo dục và Đào tạo": "chủ trì"}
    assert _of(doc, "preamble/4") == {"Đảng ủy Bộ Xây dựng": "chủ trì"}
    assert _of(doc, "preamble/5") == {"Đảng ủy Mặt trận Tổ quốc Việt Nam": "thực hiện",
                                      "các đoàn thể Trung ương": "thực hiện"}


def test_a_group_belongs_to_the_body_written_after_thuoc_and_a_title_stands_for_its_body():
    # "các đơn vị thuộc, trực thuộc Bộ" (a ministry's text calls itself "Bộ"), "trực thuộc UBND
    # tỉnh", a group "cấp xã"; a title after a circumstance ("Căn cứ …, Thủ trưởng …") or after
    # "giao" ("giao Giám đốc Sở Y tế chủ trì") stands for its body
    text = """QUYẾT ĐỊNH
Mẫu (tài liệu kiểm thử)

Điều 2. Căn cứ Lịch mẫu tại Điều 1, Thủ trưởng các đơn vị thuộc, trực thuộc Bộ chủ động lập sổ mẫu theo lĩnh vực.
Điều 3. Các đơn vị trực thuộc Ủy ban nhân dân tỉnh rà soát sổ mẫu; cấp ủy cấp xã phê duyệt kế hoạch mẫu.
Điều 4. Chủ tịch Ủy ban nhân dân tỉnh giao Giám đốc Sở Y tế chủ trì kiểm tra sổ mẫu.
Điều 5. Các đơn vị thuộc Bộ, ngành rà soát sổ mẫu.
Điều 6. Các đơn vị, cơ quan trực thuộc Sở trong phạm vi quyền hạn của mình lưu giữ sổ mẫu tại trụ sở.
"""
    doc = _read(text)
    assert _of(doc, "Điều 2") == {"các đơn vị thuộc, trực thuộc Bộ": "thực hiện"}
    assert _of(doc, "Điều 3") == {"Các đơn vị trực thuộc Ủy ban nhân dân tỉnh": "thực hiện", "cấp ủy cấp xã": "thực hiện"}
    assert _of(doc, "Điều 4")["Sở Y tế"] == "chủ trì" and _of(doc, "Điều 4")["Ủy ban nhân dân tỉnh"] != "chủ trì"
    assert _of(doc, "Điều 5") == {"Các đơn vị": "thực hiện"}  # "thuộc Bộ, ngành": every ministry and branch
    # the scope of duty between the subject and its verb, without commas around it
    assert _of(doc, "Điều 6") == {"Các đơn vị, cơ quan trực thuộc Sở": "thực hiện"}


def test_a_body_consulted_takes_part_in_the_task():
    # "lấy ý kiến (bằng văn bản) của Y", "tham khảo ý kiến của Y": Y takes part; a body that is
    # consulted ("được lấy ý kiến") names no partner by it, nor does "xin ý kiến" a superior
    text = """QUYẾT ĐỊNH
Mẫu (tài liệu kiểm thử)

Điều 3. Sở Mẫu Đông có trách nhiệm lấy ý kiến bằng văn bản của Sở Tư pháp trước khi ban hành sổ mẫu.
Điều 4. Chủ tịch Ủy ban nhân dân xã quyết định xếp loại sổ mẫu (sau khi tham khảo ý kiến của Công an tỉnh).
Điều 5. Các đơn vị mẫu được lấy ý kiến thẩm định, chịu trách nhiệm trước Ủy ban nhân dân tỉnh về nội dung góp ý.
Điều 6. Sở Mẫu Đông xin ý kiến Thường trực Tỉnh ủy về sổ mẫu.
"""
    doc = _read(text)
    assert _of(doc, "Điều 3") == {"Sở Mẫu Đông": "thực hiện", "Sở Tư pháp": "phối hợp"}
    assert _of(doc, "Điều 4") == {"Ủy ban nhân dân xã": "thực hiện", "Công an tỉnh": "phối hợp"}
    assert _of(doc, "Điều 5").get("Ủy ban nhân dân tỉnh") != "phối hợp"
    assert "phối hợp" not in _of(doc, "Điều 6").values()


def test_a_bullet_that_names_a_body_heads_its_points():
    # "- Bộ X" / "+ …" under an item addressed to many: each "+" is that ministry's, not every
    # body's the item names
    text = """NGHỊ QUYẾT
Mẫu (tài liệu kiểm thử)

III. NHIỆM VỤ
2. Các bộ, cơ quan trung ương, Ủy ban nhân dân các tỉnh thực hiện các nhiệm vụ sau:
a) Hoàn thiện thể chế về kho mẫu
- Bộ Mẫu Tây
+ Ban hành quy định mẫu về an toàn kho.
- Bộ Mẫu Nam
+ Rà soát tiêu chuẩn kho mẫu.
"""
    doc = _read(text)
    assert _of(doc, "III.2.a/1/1") == {"Bộ Mẫu Tây": "thực hiện"}
    assert _of(doc, "III.2.a/2/1") == {"Bộ Mẫu Nam": "thực hiện"}
