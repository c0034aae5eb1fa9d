"""What every reader of assignments shares: a clause's text with its map back to the source,
an owner (a body that owns a task), and the small tests on names and the words around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.bodies import Body, find_bodies
from ingest.body_vocab import holds_stop
from ingest.lines import starts_item
from ingest.models import Document
from ingest.normalize import fold, normalize
from ingest.pos import pos_tags

MARKER = re.compile(r"^\s*(?:[#*_]+\s*|[-+·•▪●◦\u2022\uf0b7\uf0a7\u2013\u2212]\s*|(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})*)(?:\.|\s?-)\s*"
                     r"|[a-zđ]\)\s*|\(?\d{1,2}\)\s*|Điều\s+\d+\s*[.:]?\s*)+")
DIRECTS = re.compile(r"\bchi dao\s*$")
_VERBS = re.compile(r"^(?:chu tri|phoi hop|tham muu|co trach nhiem|chiu trach nhiem|la |lam |lanh dao|chi dao|thuc hien"
                    r"|trien khai|xay dung|to chuc|huong dan|theo doi|don doc|kiem tra|ra soat|nghien cuu|de xuat|bao cao"
                    r"|tong hop|gui|trinh|ban hanh|cung ung|cung cap|bo tri|bao dam|dam bao|tang cuong|day manh|khan truong"
                    r"|chu dong|tiep tuc|kip thoi|thuong xuyen|dinh ky|hang nam|can cu|phu trach|quan ly|giam sat|danh gia"
                    r"|phan cong|duoc giao|co van ban|xem xet|phe duyet|lap |soan|cap |thong qua|phat dong|van dong|keu goi"
                    # verbs the tagger reads as nouns: "Chính phủ quy định chi tiết …" (a law's delegation;
                    # not "cơ quan quy định tại khoản 1", the body so specified), "kiện toàn", "kiểm kê", …
                    r"|quy dinh(?! tai\b| o\b)|kien toan|kiem ke|dang tai|truc tiep "
                    # verbs made with "hóa" that the tagger reads as adjectives ("cụ thể hóa hướng dẫn")
                    r"|(?:cu the|the che|chuan|so|don gian|da dang|xa hoi|hien dai|tu dong|tin hoc|toi uu) hoa\b)")

# What the words around a name say about it:
# "… phạm vi do Bộ Quốc phòng quản lý", "… văn bản do Bộ Tài chính ban hành": who owns or issued a thing, no task
OWNS = re.compile(r"(?:truc tiep\s+)?(?:quan ly|ban hanh|cap|phat hanh|so huu|dang ky|cung cap)\b(?!\s*,?\s*(?:phoi hop|chu tri))")
# a title between two names of a list stands for its body ("…, Giám đốc Sở Tài chính, …")
# "Chánh" alone too: the recogniser reads "Văn phòng UBND tỉnh" of "Chánh Văn phòng UBND tỉnh" as the name
# ("Chánh án" is left out: "…các chức vụ: Chánh án Tòa án nhân dân cấp tỉnh, Chánh án …" lists posts, not subjects)
TITLES = re.compile(r"\b(?:(?:pho )?chu tich|(?:pho )?giam doc|thu truong(?: cac)?|(?:pho )?chanh(?: van phong| thanh tra)?"
                     r"|(?:pho )?truong ban|bo truong|cuc truong|vu truong|chi huy truong|nguoi dung dau)\s*$")
# the scope of duty between a subject and its verb ("…, trong phạm vi nhiệm vụ của mình, …", the commas
# often left out)
WITHIN = re.compile(r"\s*,?\s*(?:trong pham vi|theo (?:chuc nang|pham vi|tham quyen)|can cu chuc nang)[^.;:]{0,80}?"
                     r"(?:cua minh|duoc giao|theo quy dinh|cua don vi|cua co quan)\s*,?")
# the enforcement formula ("… chịu trách nhiệm thi hành Quyết định này")
EXECUTES = re.compile(r"\bthi hanh (?:quyet dinh|nghi quyet|chi thi|thong tu|nghi dinh) nay\b"
                       r"|\bcan cu (?:quyet dinh|nghi quyet|chi thi) nay(?: de)? (?:thuc hien|thi hanh)\b")
# role words before a name: it is not the subject ("Chủ trì, phối hợp với sở, ngành, UBND xã …")
ROLE_WORDS = re.compile(r"\b(?:chu tri|phoi hop|tham muu|thuc hien)\b")
# "(Cơ quan) thường trực (của) …" opening a sentence
STANDING = re.compile(r"[\s*_]*(?:co quan |don vi )?thuong truc (?:cua )?")


@dataclass
class Owner:
    name: str
    start: int
    end: int
    group: bool
    source: str
    # the role a heading gives it in each task under it ("1. Bộ X chủ trì, phối hợp với Bộ Y:"): Bộ X
    # leads what the task itself gives no other role, Bộ Y takes part
    role: str | None = None


class ClauseText:
    """A clause's own text, normalised, with the map back to the source."""

    def __init__(self, doc: Document, start: int, end: int, wrapped: bool):
        self.base = start
        self.norm = normalize(doc.source[start:end])
        self.text = self.norm.text.replace("\n", " ") if wrapped else _run_on(self.norm.text)

    def span(self, s: int, e: int) -> tuple[int, int]:
        a, b = self.norm.span(s, e)
        return self.base + a, self.base + b


_BREAK = re.compile(r"(?<=[^\s.;:!?*_|])[ \t]*\n(?=[ \t]*([^\s|]))")


def _run_on(text: str) -> str:
    r"""``text`` with the line breaks that cut a sentence as spaces, of the same length: a page capture
    wraps a paragraph at 80 columns ("Ủy ban nhân dân tỉnh Thanh" / "Hóa phối hợp với …"). A break
    after a sentence's end, before an item ("- ", "2. ", "b) ") or a table row, or between
    paragraphs stays.

    >>> _run_on("Giao Sở Tài chính chủ trì, phối hợp với Sở Tư\npháp rà soát.\n- Sở Y tế")
    'Giao Sở Tài chính chủ trì, phối hợp với Sở Tư pháp rà soát.\n- Sở Y tế'
    """
    out = list(text)
    for m in _BREAK.finditer(text):
        nxt = text[m.start(1) : m.start(1) + 12]
        if not starts_item(nxt) and not nxt.startswith(("#", "*")):
            out[m.start() + m.group(0).index("\n")] = " "
    return "".join(out)


def joint(text: str, bodies: list[Body]) -> list[Body]:
    """"Cục Lâm nghiệp và Cục Kiểm lâm" in a cell or heading: one joint addressee."""
    out: list[Body] = []
    for b in bodies:
        prev = out[-1] if out else None
        if prev and not prev.group and not b.group and text[prev.end : b.start] == " và " \
                and prev.name.split()[0] == b.name.split()[0]:
            out[-1] = Body(f"{prev.name} và {b.name}", prev.start, b.end)
        else:
            out.append(b)
    return out


def only_bodies(text: str, bodies: list[Body]) -> bool:
    """Whether ``text`` is just the bodies and separators ("X, Y và Z:", "Giao X")."""
    rest, pos = [], 0
    for b in bodies:
        rest.append(text[pos : b.start])
        pos = b.end
    rest.append(text[pos:])
    left = fold(" ".join(rest))
    left = re.sub(r"\b(?:giao cho|giao|de nghi|yeu cau|va cac|va|doi voi|cac (?:bo|so|ban|co quan))\b", " ", left)
    return bool(bodies) and not re.sub(r"[\s,;:.()\-–*_#]+", "", left)



def sentence_case(text: str) -> str:
    """An all-capitals heading ("1. SỞ TÀI CHÍNH TỈNH MẪU") with the capitals names keep, of the
    same length, so the recogniser can read it ("1. Sở Tài Chính tỉnh Mẫu")."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters) or len(letters) < 6:
        return text
    small = {"và", "các", "tỉnh", "thành", "phố", "huyện", "xã", "phường", "quận", "thị", "trấn", "của", "với", "cấp", "cáo"}  # "BÁO CÁO": no newspaper
    return re.sub(r"[^\W\d_]+", lambda m: m.group().lower() if m.group().lower() in small else m.group().capitalize(), text)


def verb_next(after: str) -> bool:
    """Whether ``after`` (the text after a name) opens with a verb: the name is a subject."""

    rest = after.lstrip(" ,;:\n*_")  # "**(2) Đảng ủy Bộ X** chủ trì": emphasis closes after the name
    if not rest[:1].islower():
        return False
    if _VERBS.match(fold(rest)):
        return True
    tagged = pos_tags(rest[:60])
    return bool(tagged) and tagged[0][1] == "V"


_NARRATIVE = re.compile(r"(?:(?:hien|cung|truoc do|gan day)\s+)?(?:da|vua|dang|khong nhan duoc|nhan duoc|cho biet"
                        r"|da nhan duoc|co y kien (?:nhu sau|de))\b(?!\s*(?:dang|duoc giao))")


def narrative(after: str) -> bool:
    """Whether the words after a sentence's subject tell what it did or received, not a task
    ("… đã ban hành", "… vừa có công văn", "… nhận được công văn", "… cho biết").

    >>> narrative(" nhận được công văn số 12"), narrative(" đã có ý kiến"), narrative(" chủ trì, phối hợp")
    (True, True, False)
    """
    return bool(_NARRATIVE.match(fold(after.lstrip(" ,"))))


def continues(gap: str) -> bool:
    """The words between two partners keep the list going ("Bộ A, Bộ B và các bộ …")."""
    return gap.strip(" ,;") in ("", "va", "va cac", "cung", "cung cac")


def year_due(cell: str) -> str | None:
    """"2025", "2025 - 2030": the end of the last year named."""
    years = re.findall(r"\b(20\d\d|19\d\d)\b", cell)
    return f"{years[-1]}-12-31" if years else None


_UNNAMED_PART = re.compile(r"[^\W\d_][^,;:.()]{0,80}")


def names_between(body: str, start: int, end: int) -> list[Body] | None:
    """The names between two known bodies of a list that the recogniser does not know
    ("…, Điện lực tỉnh, Bưu điện tỉnh, Sở X …"): each part between commas that opens with a
    capital and holds no verb of the vocabulary is a body of the list; anything else (a verb, a
    lower-case word, a clause) means the list has ended, and None is returned."""
    gap = body[start:end]
    if m := re.search(r"\s+và\s*$", gap):  # "…, Điện lực tỉnh và Sở X": the last "và" as a comma
        gap = gap[: m.start()] + "," + " " * (len(gap) - m.start() - 1)
    parts = gap.split(",")
    if len(parts) < 3 or parts[0].strip() or parts[-1].strip():
        return None
    out, at = [], start + len(parts[0]) + 1
    for part in parts[1:-1]:
        name = part.strip()
        lead = len(part) - len(part.lstrip())
        if not (_UNNAMED_PART.fullmatch(name) and name[0].isupper() and len(name.split()) <= 10) or find_bodies(name) \
                or holds_stop(name):
            return None
        out.append(Body(name, at + lead, at + lead + len(name)))
        at += len(part) + 1
    return out
