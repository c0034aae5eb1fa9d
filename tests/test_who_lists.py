"""Who does what, as the bodies no list names, labels and lists of the real documents write it:
subject lists that run past unknown names, 2025's provincial and regional branches, a topic before
the colon, procedure and authority labels, "do X quản lý", two bodies that work together, a name a
line break cuts. The texts are invented fixtures; these tests build no index.
"""

from __future__ import annotations

from pathlib import Path

from ingest.bodies import find_bodies
from tests.test_assignment_reading import _of, _read

ROOT = Path(__file__).resolve().parents[1]


def test_a_subject_list_goes_on_past_names_no_list_knows():
    # a power company, a post office: bodies of the list though no vocabulary names them; the
    # list's subjects after them keep their task
    text = """KẾ HOẠCH
Mẫu (tài liệu kiểm thử)

III. TỔ CHỨC THỰC HIỆN
5. Đề nghị Tòa án nhân dân tỉnh, Điện lực Bắc Mẫu, Bưu điện tỉnh và Chi cục Hải quan khu vực IX tăng cường bảo vệ kho dữ liệu mẫu.
6. Sở Y tế, Sở Tài chính phối hợp kiểm tra kho mẫu vào năm 2099.
"""
    doc = _read(text)
    assert _of(doc, "III.5") == {"Tòa án nhân dân tỉnh": "thực hiện", "Điện lực Bắc Mẫu": "thực hiện",
                                 "Bưu điện tỉnh": "thực hiện", "Chi cục Hải quan khu vực IX": "thực hiện"}
    assert set(_of(doc, "III.6")) == {"Sở Y tế", "Sở Tài chính"}


def test_branches_named_by_their_province_or_region_are_bodies():
    # 2025's provincial and regional branches of national bodies, "nhà nước" in either case
    text = ("Đề nghị Thống kê tỉnh Bắc Mẫu, Thuế cơ sở 3, Kiểm toán nhà nước khu vực II, "
            "Kho bạc Nhà nước khu vực XI và Ngân hàng nhà nước khu vực 8 cung cấp số liệu mẫu.")
    assert [b.name for b in find_bodies(text)] == ["Thống kê tỉnh Bắc Mẫu", "Thuế cơ sở 3", "Kiểm toán nhà nước khu vực II",
                                                   "Kho bạc Nhà nước khu vực XI", "Ngân hàng nhà nước khu vực 8"]
    # a common noun stays one: no body without its place or number
    assert find_bodies("Thống kê tình hình mẫu; Hải quan là lĩnh vực mẫu.") == []
    # a mass organisation's central committee is named with "Trung ương" before it
    assert [b.name for b in find_bodies("Trung ương Hội Nông dân Việt Nam vận động hội viên mẫu.")] == \
        ["Trung ương Hội Nông dân Việt Nam"]


def test_a_topic_before_the_colon_and_a_list_of_groups_keep_their_subjects():
    # "Về …: đề nghị các Tổng công ty: A, B kiểm tra …": a conclusion's topic, then the groups' list
    text = """THÔNG BÁO
Kết luận mẫu (tài liệu kiểm thử)

III. KẾT LUẬN
9. Về kho xăng dầu mẫu: đề nghị các Tổng công ty: Xăng dầu Mẫu Một, Điện lực - Năng lượng Mẫu Hai kiểm tra kho, xong trước năm 2099; Bộ Công Thương theo dõi.
"""
    roles = _of(_read(text), "III.9")
    assert roles.get("Tổng công ty Xăng dầu Mẫu Một") == "thực hiện"
    assert roles.get("Tổng công ty Điện lực - Năng lượng Mẫu Hai") == "thực hiện"


def test_the_body_a_procedure_or_an_authority_label_names_does_it():
    # a procedure's "Cơ quan giải quyết …: X" and a rule's "Thẩm quyền quyết định …: Y", the name
    # on the label's line or the next; the applicant ("Đối tượng thực hiện …: Z") does nothing
    text = """QUYẾT ĐỊNH
Công bố thủ tục mẫu (tài liệu kiểm thử)

I. THỦ TỤC MẪU
1. Thủ tục cấp giấy phép mẫu
d) Đối tượng thực hiện thủ tục hành chính: Hợp tác xã Mẫu.
e) Cơ quan thực hiện thủ tục hành chính: Sở Xây dựng.
f) Cơ quan giải quyết thủ tục hành chính: Ủy ban nhân dân
tỉnh.
g) Thẩm quyền quyết định công nhận kho lưu trữ mẫu: Thường trực Hội đồng nhân dân tỉnh.
"""
    doc = _read(text)
    assert _of(doc, "I.1.d") == {}
    assert _of(doc, "I.1.e") == {"Sở Xây dựng": "thực hiện"}
    assert _of(doc, "I.1.f") == {"Ủy ban nhân dân tỉnh": "thực hiện"}
    assert _of(doc, "I.1.g") == {"Thường trực Hội đồng nhân dân tỉnh": "thực hiện"}


def test_a_rule_saying_who_manages_a_thing_gives_that_body_its_charge():
    # a statement about a thing that ends "do X quản lý": X is in charge of it (unlike an owner
    # named inside another body's task, see test_a_body_that_owns_a_thing_has_no_task)
    text = """QUY ĐỊNH
Mẫu (tài liệu kiểm thử)

Điều 9. Kho dữ liệu mẫu
2. Kho dữ liệu mẫu của tỉnh do Văn phòng UBND tỉnh quản lý.
3. Kho dữ liệu mẫu của xã được lập để lưu hồ sơ mẫu do xã quản lý và khai thác.
"""
    doc = _read(text)
    assert _of(doc, "Điều 9.2") == {"Văn phòng UBND tỉnh": "thực hiện"}
    assert _of(doc, "Điều 9.3") == {}


def test_two_bodies_that_work_together_each_work_with_the_other():
    # "Sở Công Thương: Phối hợp với Sở Xây dựng kiểm tra …": asked "who works with the Sở Xây dựng?"
    # the answer is Sở Công Thương, asked "whom does it work with?" the Sở Xây dựng; a collective
    # that works with a named body takes part in the task that body leads
    text = """KẾ HOẠCH
Mẫu (tài liệu kiểm thử)

V. TỔ CHỨC THỰC HIỆN
3. Sở Công Thương
Phối hợp với Sở Xây dựng kiểm tra an toàn các chợ mẫu trước mùa mưa bão.
4. Các sở, ban, ngành phối hợp với Sở Tài chính rà soát kinh phí mẫu.
"""
    doc = _read(text)
    assert _of(doc, "V.3") == {"Sở Công Thương": "phối hợp", "Sở Xây dựng": "phối hợp"}
    assert _of(doc, "V.4") == {"Các sở, ban, ngành": "phối hợp", "Sở Tài chính": "chủ trì"}


def test_a_name_the_line_break_cuts_after_a_whole_looking_part_is_read_whole():
    # a text wrapped at 80 columns: "… Hội Liên hiệp Phụ nữ" ends the line, "Việt Nam tỉnh chủ trì"
    # opens the next; the body is the whole name, and it leads
    text = """QUY CHẾ
Phối hợp mẫu (tài liệu kiểm thử)

Điều 9. Tổ chức thực hiện
7. Mỗi năm một lần, Sở Nội vụ mẫu tổng hợp số liệu về kho lưu trữ mẫu của các xã
trong tỉnh và gửi bản tổng hợp lên cơ quan cấp trên theo mẫu đã được hướng dẫn.
8. Đề nghị Hội Liên hiệp Phụ nữ
Việt Nam tỉnh chủ trì, phối hợp với Đoàn Thanh niên mẫu vận động các hộ gia đình
giữ gìn giấy tờ mẫu của mình, nộp bản sao vào kho lưu trữ mẫu của xã khi được hỏi.
"""
    roles = _of(_read(text), "Điều 9.8")
    assert roles == {"Hội Liên hiệp Phụ nữ Việt Nam tỉnh": "chủ trì", "Đoàn Thanh niên mẫu": "phối hợp"}


def test_a_label_whose_value_gives_roles_is_read_as_a_sentence():
    # "Cơ quan thực hiện: Sở X chủ trì, phối hợp với Y": X leads, Y takes part (not both "thực hiện")
    text = """KẾ HOẠCH
Mẫu (tài liệu kiểm thử)

III. NHIỆM VỤ
1. Tổ chức hội thi mẫu
- Thời gian thực hiện: năm 2099.
- Cơ quan thực hiện: Sở Tư pháp chủ trì, phối hợp với Sở Công Thương và Sở Xây dựng.
"""
    roles = _of(_read(text), "III.1/2")
    assert roles == {"Sở Tư pháp": "chủ trì", "Sở Công Thương": "phối hợp", "Sở Xây dựng": "phối hợp"}


def test_titles_that_address_every_body_of_a_kind_name_those_bodies():
    # a Government text's addressees by their heads' titles, a deputy prime minister by name, and
    # a party document's committees with a verb made with "hóa"
    text = """CHỈ THỊ
Mẫu (tài liệu kiểm thử)

1. Bộ trưởng, Thủ trưởng cơ quan thuộc Chính phủ, cơ quan ngang bộ và Chủ tịch Ủy ban nhân dân các tỉnh chỉ đạo rà soát kho mẫu.
2. Người đứng đầu cơ quan, đơn vị có trách nhiệm kiểm tra kho mẫu hằng năm.
3. Giao Phó Thủ tướng Lê Văn Mẫu chỉ đạo, đôn đốc các bộ thực hiện Chỉ thị này.
4. Các tỉnh ủy, thành ủy cụ thể hóa quy trình mẫu.
5. Giám đốc Sở Tài chính bố trí kinh phí mẫu.
"""
    doc = _read(text)
    assert _of(doc, "1") == {"các bộ, cơ quan thuộc Chính phủ, cơ quan ngang bộ": "thực hiện",
                             "Ủy ban nhân dân các tỉnh": "thực hiện"}
    assert _of(doc, "2") == {"các cơ quan, đơn vị": "thực hiện"}
    assert _of(doc, "3").get("Phó Thủ tướng Lê Văn Mẫu") == "theo dõi, đôn đốc"
    assert "Thủ tướng" not in _of(doc, "3")  # a deputy is not the Prime Minister
    assert _of(doc, "4") == {"Các tỉnh ủy, thành ủy": "thực hiện"}
    assert _of(doc, "5") == {"Sở Tài chính": "thực hiện"}  # a title before a named body stands for it
    # one officer is no group: "Người đứng đầu cơ quan có thẩm quyền" names no body
    assert find_bodies("Người đứng đầu cơ quan có thẩm quyền quyết định.") == []


def test_a_body_at_every_level_is_a_collective_that_does_its_task():
    found = find_bodies("Công an các cấp Thành phố kiểm tra kho mẫu; Hội Nông dân các cấp vận động hội viên mẫu; "
                        "Ủy ban Mặt trận Tổ quốc Việt Nam các cấp giám sát.")
    assert [(b.name, b.collective) for b in found] == [
        ("Công an các cấp Thành phố", True), ("Hội Nông dân các cấp", True), ("Ủy ban Mặt trận Tổ quốc Việt Nam các cấp", True)]
    # a standing board of every commune's committee is one name, a collective
    assert [(b.name, b.collective) for b in find_bodies("Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã tổ chức hội nghị mẫu.")] == [
        ("Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã", True)]


def test_a_councils_deputies_oversee_with_its_standing_committee():
    # the closing formula of a council's resolution: every overseer is a subject, its deputies one
    text = """NGHỊ QUYẾT
Mẫu (tài liệu kiểm thử)

Điều 3. Tổ chức thực hiện
2. Thường trực Hội đồng nhân dân tỉnh Mẫu, các Tổ đại biểu và đại biểu Hội đồng nhân dân tỉnh Mẫu theo dõi kho mẫu.
3. Đoàn đại biểu Quốc hội và đại biểu Quốc hội tỉnh Mẫu theo dõi kho mẫu.
"""
    doc = _read(text)
    assert set(_of(doc, "Điều 3.2")) == {"Thường trực Hội đồng nhân dân tỉnh Mẫu",
                                        "các Tổ đại biểu và đại biểu Hội đồng nhân dân tỉnh Mẫu"}
    assert set(_of(doc, "Điều 3.3")) == {"Đoàn đại biểu Quốc hội", "đại biểu Quốc hội tỉnh Mẫu"}


def test_the_names_read_do_not_depend_on_what_was_segmented_before():
    # segmenting with the fixed-words list (the lexical index does) must leave underthesea's
    # tagger as it was: the name ends before "chủ trì" either way
    from ingest.pos import joined, pos_tags
    from ingest.tokens import words

    text = "Bộ Mẫu chủ trì, phối hợp với các Bộ, cơ quan liên quan:"
    pos_tags.cache_clear(), joined.cache_clear()
    before = [b.name for b in find_bodies(text)]
    assert "chủ_trì" in words("Sở Tài chính chủ trì bố trí kinh phí mẫu.")
    pos_tags.cache_clear(), joined.cache_clear()
    assert [b.name for b in find_bodies(text)] == before == ["Bộ Mẫu", "các Bộ, cơ quan liên quan"]


def test_the_names_before_co_trach_nhiem_are_the_subject_under_another_bodys_list():
    # a point with a subject of its own under "1. X có trách nhiệm sau:" is not X's
    text = """NGHỊ QUYẾT
Mẫu (tài liệu kiểm thử)

III. TỔ CHỨC THỰC HIỆN
1. Ủy ban nhân dân các tỉnh thực hiện các việc sau:
a) Lập sổ ghi chép kho mẫu;
b) Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam và các phóng viên thường trú có trách nhiệm đưa tin về kho mẫu.
"""
    doc = _read(text)
    assert _of(doc, "III.1.a") == {"Ủy ban nhân dân các tỉnh": "thực hiện"}
    assert _of(doc, "III.1.b") == {"Đài Tiếng nói Việt Nam": "thực hiện", "Thông tấn xã Việt Nam": "thực hiện"}


def test_a_role_holders_name_in_a_question_names_no_body():
    # "công chức" in a question is running text, though a rule charged "Công chức" with a duty
    from index.agencies import Registry, document_agency

    holder = document_agency("Công chức", False, None)
    body = document_agency("Quỹ Mẫu", False, None)
    registry = Registry.load(ROOT / "corpus" / "agencies.yaml").with_agencies([holder, body])
    found = {a.id for a, _, _ in registry.find("Thời gian luân chuyển công chức của Quỹ Mẫu là bao lâu?")}
    assert body.id in found and holder.id not in found
