"""Who does what, class by class, as documents nobody tuned on write it: a partner named after a
bare "phối hợp", a narrative that names bodies without giving them tasks, words that only look like
a collective ("các bộ phận"), a body that owns a thing ("do Bộ X quản lý"), a time span whose
start is no deadline.

The texts are invented fixtures in the style of real directives; these tests build no index (the
answers to questions on such a plan are ``tests/test_who_answers.py``).
"""

from __future__ import annotations

from pathlib import Path

from index.retrieval.query import analyze
from ingest.bodies import find_bodies
from ingest.deadlines import deadlines
from tests.test_assignment_reading import _of, _read

ROOT = Path(__file__).resolve().parents[1]

PLAN = """KẾ HOẠCH
Bảo vệ kho dữ liệu mẫu (tài liệu kiểm thử)

III. PHÂN CÔNG NHIỆM VỤ

1. Công an tỉnh

- Chủ trì, phối hợp Bộ Chỉ huy Quân sự tỉnh lập danh mục thiết bị lưu trữ mẫu cần thay mới.

- Phối hợp rà soát nhật ký truy cập kho mẫu trong quá trình vận hành tại các bộ phận lưu trữ.

2. Bộ Chỉ huy Quân sự tỉnh

- Sắp xếp lại các phòng máy mẫu do Bộ Quốc phòng quản lý tại tỉnh.

3. Sở Khoa học và Công nghệ

Chủ trì, phối hợp triển khai nền tảng giám sát kho dữ liệu mẫu.
"""


def test_a_body_right_after_a_bare_phoi_hop_is_a_partner():
    # "Chủ trì, phối hợp Bộ Chỉ huy Quân sự tỉnh …" (no "với"): the command is a partner of the police
    roles = _of(_read(PLAN), "III.1/1")
    assert roles.get("Công an tỉnh") == "chủ trì"
    assert roles.get("Bộ Chỉ huy Quân sự tỉnh") == "phối hợp"


def test_a_bare_phoi_hop_before_a_verb_names_no_partner():
    roles = _of(_read(PLAN), "III.3")
    assert roles == {"Sở Khoa học và Công nghệ": "chủ trì"}


def test_parts_of_an_office_are_no_collective_and_a_process_is_no_report():
    # "trong quá trình vận hành tại các bộ phận": neither "các bộ" nor a report sent to anyone
    roles = _of(_read(PLAN), "III.1/2")
    assert set(roles) == {"Công an tỉnh"}
    assert find_bodies("tại các bộ phận lưu trữ") == []
    procedure = _read("QUY TRÌNH\nMẫu\n\n1. Quy trình giải quyết tại Văn phòng UBND tỉnh mẫu gồm ba bước.\n")
    assert not [a for a in procedure.assignments if a.role == "nhận báo cáo"]
    assert [b.name for b in find_bodies("các cơ quan chức năng kiểm tra")] == ["các cơ quan chức năng"]


def test_a_body_that_owns_a_thing_has_no_task():
    roles = _of(_read(PLAN), "III.2/1")
    assert roles == {"Bộ Chỉ huy Quân sự tỉnh": "thực hiện"}


REPLY = """CÔNG VĂN
Về chính sách thuế đối với hàng mẫu (tài liệu kiểm thử)

Kính gửi: Công ty TNHH Hàng Mẫu.

Cục Thuế nhận được công văn số 12/CV-HM của Công ty TNHH Hàng Mẫu hỏi về chính sách thuế. Về vấn đề này, Cục Thuế có ý kiến như sau: Bộ Tài chính đã có ý kiến tại công văn số 34/BTC-TCT.

Đề nghị Công ty TNHH Hàng Mẫu liên hệ Chi cục Thuế khu vực Mẫu để được hướng dẫn.
"""


def test_a_narrative_names_bodies_without_giving_them_tasks():
    doc = _read(REPLY)
    tasked = {a.agency for a in doc.assignments}
    assert "Cục Thuế" not in tasked and "Bộ Tài chính" not in tasked
    assert "Công ty TNHH Hàng Mẫu" in tasked  # the request of the letter is a task


def test_the_start_of_a_time_span_is_no_deadline():
    found = [(d.text, d.due) for d in deadlines("Thời gian dự kiến: từ tháng 10/2099 đến hết năm 2100")]
    assert found == [("đến hết năm 2100", "2100-12-31")]
    assert [d.due for d in deadlines("hoàn thành trước 31/12/2099")] == ["2099-12-31"]


def test_a_time_allowed_from_an_event_is_read_as_the_deadline():
    # what a "trong bao lâu?" question asks: no date of its own, but the clause states a time
    for text, words in (("gửi ý kiến góp ý mẫu trong thời hạn 10 ngày kể từ khi có đề nghị", "thời hạn 10 ngày"),
                        ("thời gian xử lý hồ sơ mẫu là 05 ngày làm việc", "05 ngày làm việc"),
                        ("gửi kết quả đo mẫu chậm nhất 03 ngày sau đợt khảo sát", "chậm nhất 03 ngày")):
        assert [(d.text, d.due) for d in deadlines(text)] == [(words, None)]


CAPTURE = """THÔNG BÁO
Kết luận về kho dữ liệu mẫu (tài liệu kiểm thử)

III. NHIỆM VỤ

4. Về kho dự trữ mẫu: để chọn địa điểm đặt kho, Ủy ban nhân dân tỉnh Thanh
Mẫu phối hợp với Bộ Công Thương lập phương án so sánh.

5. Sở Y tế

a) Chủ trì, phối hợp với sở,
ban, ngành, Ủy ban nhân dân xã, phường lập sổ theo dõi thiết bị mẫu.

**(2) Đảng ủy Bộ Xây dựng** chủ trì, phối hợp với Bộ Khoa học và Công nghệ soạn bộ tiêu chí nhà lớp học mẫu.

6. Sở Công Thương chủ trì, phối hợp với Sở Xây dựng, Thuế tỉnh Mẫu hướng dẫn kê khai sản lượng mẫu.
"""


def test_a_sentence_wrapped_over_lines_is_read_as_one():
    # a page capture wraps at 80 columns: the subject's name and its verb are on two lines
    # (the committee works with the ministry, which works with it: neither is said to lead)
    roles = _of(_read(CAPTURE), "III.4")
    assert roles == {"Ủy ban nhân dân tỉnh Thanh Mẫu": "phối hợp", "Bộ Công Thương": "phối hợp"}


def test_a_body_after_phoi_hop_voi_is_no_subject_though_a_comma_precedes_it():
    roles = _of(_read(CAPTURE), "III.5.a")
    assert roles.get("Sở Y tế") == "chủ trì"
    assert roles.get("Ủy ban nhân dân xã, phường") == "phối hợp"


def test_a_numbered_bold_subject_and_a_tax_body_named_by_its_place():
    doc = _read(CAPTURE)
    lead = {a.agency: a.role for a in doc.assignments if "Xây dựng**" in doc.source[a.seg_start : a.seg_end]}
    assert lead.get("Đảng ủy Bộ Xây dựng") == "chủ trì"
    assert _of(doc, "III.6").get("Thuế tỉnh Mẫu") == "phối hợp"
    assert find_bodies("Thuế giá trị gia tăng được hoàn") == []
    assert [b.name for b in find_bodies("Ủy ban nhân dân các tỉnh biên giới lập danh sách")] == ["Ủy ban nhân dân các tỉnh biên giới"]


STEERING = """KẾ HOẠCH
Bảo vệ kho dữ liệu mẫu (tài liệu kiểm thử)

II. NHIỆM VỤ

5. Củng cố Ban Chỉ đạo kho dữ liệu mẫu, bao gồm: Trưởng Ban Chỉ đạo là Phó Chủ tịch UBND tỉnh; thường trực Ban Chỉ đạo là Công an tỉnh.

6. Sở Tư pháp là Cơ quan thường trực của Hội đồng phổ biến pháp luật mẫu.
"""


def test_the_standing_body_is_the_one_named_not_the_steering_committee():
    doc = _read(STEERING)
    assert _of(doc, "II.5") == {"Công an tỉnh": "đầu mối"}  # neither "Ban Chỉ đạo" nor its make-up
    assert _of(doc, "II.6").get("Sở Tư pháp") == "đầu mối"


def test_a_standing_committee_is_its_own_addressee():
    names = lambda text: [b.name for b in find_bodies(text)]
    assert names("Đề nghị thường trực các tỉnh ủy, thành ủy góp ý bộ tiêu chí mẫu") == ["thường trực các tỉnh ủy, thành ủy"]
    assert names("Mời Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh chủ trì hội nghị mẫu") == [
        "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]
    assert names("là cơ quan thường trực Ban Chỉ đạo tỉnh") == ["Ban Chỉ đạo tỉnh"]
    assert names("Giao các Ban của Hội đồng nhân dân tỉnh theo dõi việc chấm điểm mẫu") == ["các Ban của Hội đồng nhân dân tỉnh"]


def test_bodies_named_by_their_heads_titles_are_all_subjects():
    text = """QUYẾT ĐỊNH
Về kho dữ liệu mẫu (tài liệu kiểm thử)

Điều 2. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính, Chủ tịch UBND các xã, phường và Thủ trưởng các đơn vị liên quan phối hợp tổ chức lễ phát động mẫu.

Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính và Thủ trưởng các đơn vị liên quan chịu trách nhiệm thi hành Quyết định này.
"""
    doc = _read(text)
    assert {"Văn phòng UBND tỉnh", "Sở Tài chính", "UBND các xã, phường"} <= set(_of(doc, "Điều 2"))
    assert _of(doc, "Điều 3") == {}  # the enforcement formula gives no task: "what must X do" lists none


def test_subjects_before_their_scope_of_duty_are_subjects():
    text = """NGHỊ QUYẾT
Về kho dữ liệu mẫu (tài liệu kiểm thử)

Điều 4. Tổ chức thực hiện

Chính phủ, Ủy ban thường vụ Quốc hội, các Ủy ban của Quốc hội, các cơ quan liên quan, trong phạm vi nhiệm vụ, quyền hạn của mình, triển khai Nghị quyết mẫu này.
"""
    roles = _of(_read(text), "Điều 4")
    assert {"Chính phủ", "Ủy ban thường vụ Quốc hội", "các Ủy ban của Quốc hội"} <= set(roles)
    assert "Quốc hội" not in roles  # the committees are not the assembly


def test_the_lead_body_named_as_a_noun_is_not_the_subjects_role():
    text = """KẾ HOẠCH
Mẫu (tài liệu kiểm thử)

III. PHÂN CÔNG
1. Các sở, ban, ngành
- Kiểm định thiết bị theo hướng dẫn của cơ quan chủ trì.
2. Sở Tư pháp là cơ quan chủ trì thẩm định văn bản mẫu.
"""
    doc = _read(text)
    assert _of(doc, "III.1/1") == {"Các sở, ban, ngành": "thực hiện"}
    assert _of(doc, "III.2").get("Sở Tư pháp") == "chủ trì"


def test_a_body_told_to_lead_takes_the_lead_it_is_told():
    text = """THÔNG BÁO
Kết luận mẫu (tài liệu kiểm thử)

4.1. Giao Đảng ủy Chính phủ: (i) Chỉ đạo Đảng ủy Bộ Y tế chủ trì xây dựng quy trình tiếp nhận mẫu; (ii) Chỉ đạo Đảng ủy Bộ Tài chính bố trí kinh phí.
"""
    roles = _of(_read(text), "4.1")
    assert roles.get("Đảng ủy Bộ Y tế") == "chủ trì"
    assert roles.get("Đảng ủy Bộ Tài chính") == "thực hiện"


def test_the_issuer_enacting_a_plan_in_the_preamble_has_no_task():
    text = """KẾ HOẠCH
Mẫu (tài liệu kiểm thử)

Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai Quyết định mẫu số 12/QĐ-TTg với các nội dung sau:

I. NHIỆM VỤ
1. Sở Tư pháp chủ trì rà soát văn bản mẫu.
"""
    doc = _read(text)
    assert not [a for a in doc.assignments if a.clause_id.endswith("#preamble")]
    assert _of(doc, "I.1") == {"Sở Tư pháp": "chủ trì"}


def test_a_known_name_ending_in_a_common_word_takes_its_place():
    names = [b.name for b in find_bodies("Giao Ban Quản lý các khu chế xuất và công nghiệp Thành Mẫu hướng dẫn các đơn vị")]
    assert names == ["Ban Quản lý các khu chế xuất và công nghiệp Thành Mẫu", "các đơn vị"]


def test_difficulties_are_reported_to_the_body_named_after_phan_anh_ve():
    text = """CHỈ THỊ
Mẫu (tài liệu kiểm thử)

5. Nếu phát sinh vướng mắc khi triển khai, các đơn vị phản ánh về Sở Tư pháp để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.
"""
    roles = _of(_read(text), "5")
    assert roles.get("Sở Tư pháp") == "nhận báo cáo"


def test_a_report_heading_in_capitals_names_no_newspaper():
    text = """HƯỚNG DẪN
Mẫu (tài liệu kiểm thử)

II. BÁO CÁO TÌNH HÌNH DỊCH HẠI MẪU

1. Chỉ đạo công tác giám sát để phát hiện kịp thời dịch hại mẫu.
"""
    assert not [a for a in _read(text).assignments if a.agency.lower().startswith("báo")]


def test_a_report_of_a_body_is_not_sent_to_it_and_its_results_are_not_its_name():
    text = """QUY ĐỊNH
Mẫu (tài liệu kiểm thử)

Điều 5. Chủ tịch UBND tỉnh căn cứ vào báo cáo của Giám đốc Sở Y tế quyết định công bố dịch mẫu.

Điều 6. Sở Y tế tổng kết, báo cáo Hội đồng nhân dân tỉnh kết quả thực hiện.
"""
    doc = _read(text)
    assert _of(doc, "Điều 5").get("Sở Y tế") != "nhận báo cáo"
    assert _of(doc, "Điều 6").get("Hội đồng nhân dân tỉnh") == "nhận báo cáo"


# --- Party texts: bodies written in lower case, and a subject list led by titles ---------------------

PARTY = "fixture-quy-dinh-kho-ho-so-dang-mau.txt"


def _party():
    return _read((ROOT / "tests" / "fixtures" / "who" / PARTY).read_text(encoding="utf-8"))


def test_a_party_organ_written_in_lower_case_is_the_subject():
    doc = _party()
    assert _of(doc, "Điều 1.1") == {"Ban thường vụ tỉnh ủy": "thực hiện"}
    assert _of(doc, "Điều 1.2") == {"Văn phòng cấp ủy cấp xã": "đầu mối"}
    assert _of(doc, "Điều 1.3") == {"thường trực tỉnh ủy": "thực hiện"}  # "… do thường trực tỉnh ủy quyết định"


def test_the_offices_of_every_province_are_subjects_beside_the_central_office():
    doc = _party()
    assert _of(doc, "Điều 1.4") == {"Văn phòng Trung ương Đảng": "thực hiện", "các văn phòng tỉnh ủy, thành ủy": "thực hiện"}
    collective = {a.agency for a in doc.assignments if a.collective}
    assert "các văn phòng tỉnh ủy, thành ủy" in collective and "Văn phòng Trung ương Đảng" not in collective


def test_a_report_goes_to_a_lower_case_party_organ_and_a_member_is_no_body():
    doc = _party()
    assert _of(doc, "Điều 1.5").get("ban thường vụ tỉnh ủy") == "nhận báo cáo"
    assert _of(doc, "Điều 1.6") == {}  # a report to "ủy viên ban thường vụ tỉnh ủy" goes to a person
    names = [(b.name, b.collective) for b in find_bodies("Giao đảng ủy trực thuộc Trung ương chỉ đạo kiểm tra mẫu")]
    assert names == [("đảng ủy trực thuộc Trung ương", True)]  # every one of them


def test_a_title_inside_a_subject_list_keeps_every_subject():
    # "…, Chánh Văn phòng UBND tỉnh, …": "Chánh" before the office's name, in the middle of the list
    roles = _of(_party(), "Điều 2")
    assert {"Sở Tài chính", "Văn phòng UBND tỉnh", "UBND các xã, phường"} <= set(roles)


def test_a_list_of_posts_names_no_subjects():
    text = """QUY ĐỊNH
Mẫu (tài liệu kiểm thử)

Điều 4. Điều kiện mẫu
5. Người được điều động đến để đảm nhiệm một trong các chức vụ: Chánh án Tòa án nhân dân cấp tỉnh, Chánh án Tòa án nhân dân sơ thẩm chuyên biệt mẫu;
"""
    assert _of(_read(text), "Điều 4.5") == {}


def test_a_question_for_the_standing_body_asks_for_the_focal_point():
    # the clause that says "cơ quan thường trực" gives its body the role "đầu mối": the question asks for that
    assert analyze("Bộ nào là cơ quan thường trực chuẩn bị lễ khánh thành mẫu?").role == "đầu mối"
    assert analyze("Ban Thường trực Ủy ban Mặt trận mẫu phối hợp với cơ quan nào?").role == "phối hợp"


def test_a_lead_that_advises_as_its_purpose_advises():
    # "4. Sở Tài chính / Chủ trì, phối hợp với … để tham mưu …": the lead advises (a question "ai tham
    # mưu …" finds it); after "gửi Sở X để … tham mưu" the advice is Sở X's, not the sender's
    doc = _read("KẾ HOẠCH\nMẫu\n\nV. TỔ CHỨC THỰC HIỆN\n\n4. Sở Tài chính\n\nChủ trì, phối hợp với Sở Y tế và các"
                " cơ quan liên quan căn cứ khả năng cân đối ngân sách mẫu để tham mưu cấp có thẩm quyền phương án"
                " kinh phí mẫu.\n\n5. Sở Nội vụ\n\nTổng hợp số liệu mẫu, gửi Sở Tài chính để tham mưu Ủy ban nhân"
                " dân tỉnh.\n")
    lead = [a for a in doc.assignments if a.clause_id == doc.clause("V.4").id and a.agency == "Sở Tài chính"]
    assert [a.roles for a in lead] == [["chủ trì", "tham mưu"]]
    sender = [a for a in doc.assignments if a.clause_id == doc.clause("V.5").id and a.agency == "Sở Nội vụ"]
    assert sender and all("tham mưu" not in a.roles for a in sender)


def test_a_part_named_with_its_owner_is_one_body():
    # "Ban Tiếp nhận mẫu thuộc Văn phòng UBND tỉnh": every office, ministry or commune may have a part
    # so named, so the owner is part of the name; "thuộc thẩm quyền" names no owner
    names = [b.name for b in find_bodies("Hồ sơ mẫu nộp tại Ban Tiếp nhận mẫu thuộc Văn phòng Ủy ban nhân dân tỉnh.")]
    assert names == ["Ban Tiếp nhận mẫu thuộc Văn phòng Ủy ban nhân dân tỉnh"]
    names = [b.name for b in find_bodies("Phòng Văn hóa - Xã hội thuộc Ủy ban nhân dân xã, Vụ Mẫu trực thuộc Bộ Tư pháp"
                                         " và Cục Mẫu thuộc Ban Cơ yếu Chính phủ phối hợp thực hiện.")]
    assert names == ["Phòng Văn hóa - Xã hội thuộc Ủy ban nhân dân xã", "Vụ Mẫu trực thuộc Bộ Tư pháp",
                     "Cục Mẫu thuộc Ban Cơ yếu Chính phủ"]
    assert [b.name for b in find_bodies("Trung tâm Phục vụ hành chính công giải quyết việc thuộc thẩm quyền.")] \
        == ["Trung tâm Phục vụ hành chính công"]
