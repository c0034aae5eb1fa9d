"""Which documents a question is about: "theo QĐ 232/QĐ-TTg", "Chỉ thị 07", "nq 10",
"kế hoạch triển khai NĐ 180", "ở Lào Cai", "Đề án thị trường các-bon".

Numbers are read generically, from the question and from every document's own header
and catalog entry (no table of known short numbers): a full number ("232/QĐ-TTg",
"10-NQ/TW", "45/2025/QH15") or a type and a number ("QĐ 232", "Nghị quyết 10", "CV 7103").

- a document whose own number the question names is the question's document (``docs``);
- a document that cites a number the question names (the plan that implements "NĐ 180"),
  whose issuer's province the question names ("ở Lào Cai"), or whose title shares the
  question's words, ranks higher (``boost``);
- the documents of the place the question names ("ở Bình Thuận", "tỉnh Lào Cai", "TP.HCM")
  are ``place_docs``: a question that names no document by number is answered from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.agencies import PLACE_ALIASES, place_of
from ingest.header import find_references
from ingest.normalize import fold, name_key, normalize_text, number_key
from ingest.stopwords import TITLE, TITLE_FOLDED
from ingest.tokens import has_diacritics

TYPE_WORDS = {  # folded type words a question names a document by, and the type
    "quyet dinh": "Quyết định", "qd": "Quyết định", "nghi dinh": "Nghị định", "nd": "Nghị định",
    "nghi quyet": "Nghị quyết", "nq": "Nghị quyết", "chi thi": "Chỉ thị", "ct": "Chỉ thị",
    "cong van": "Công văn", "cv": "Công văn", "ke hoach": "Kế hoạch", "kh": "Kế hoạch",
    "chuong trinh hanh dong": "Chương trình hành động", "chuong trinh": "Chương trình", "ctr": "Chương trình",
    "cthd": "Chương trình hành động", "thong tu": "Thông tư", "tt": "Thông tư", "de an": "Đề án",
    "thong bao": "Thông báo", "tb": "Thông báo", "ket luan": "Kết luận", "kl": "Kết luận", "luat": "Luật",
    "huong dan": "Hướng dẫn", "hd": "Hướng dẫn", "quy dinh": "Quy định",
}
_SHORT = re.compile(r"\b(?P<t>%s)\.?\s*(?:so\s*)?(?P<n>\d{1,5})(?![\d.,]*\s*(?:ty|trieu|%%))"
                    % "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True)))
_SAME_FAMILY = {"Chương trình": {"Chương trình", "Chương trình hành động"}, "Chương trình hành động": {"Chương trình", "Chương trình hành động"}}


@dataclass
class Named:
    number: str | None  # a full number as written ("232/QĐ-TTg"), or None for a short one
    doc_type: str | None  # the type the question gives it ("Quyết định")
    lead: str  # its leading figures ("232")


@dataclass
class Scope:
    docs: list[str] = field(default_factory=list)  # the documents the question names by number
    boost: dict[str, float] = field(default_factory=dict)  # other documents it points to, and how strongly
    named: list[Named] = field(default_factory=list)
    place: str | None = None  # the place the question names, when loaded documents are of it
    place_docs: list[str] = field(default_factory=list)  # those documents

    @property
    def narrowed(self) -> list[str]:
        """The documents to answer from: those named by number, else those of the place named."""
        return self.docs or self.place_docs


def numbers_named(text: str) -> list[Named]:
    """Document numbers a question names, full or short.

    >>> [(n.number, n.doc_type, n.lead) for n in numbers_named("Theo Đề án (QĐ 232/QĐ-TTg), bộ nào chủ trì?")]
    [('232/QĐ-TTg', None, '232')]
    >>> [(n.doc_type, n.lead) for n in numbers_named("triển khai nd 180 và Chỉ thị 07 năm 2012")]
    [('Nghị định', '180'), ('Chỉ thị', '07')]
    """
    norm = normalize_text(text)
    out: list[Named] = []
    spans = []
    for r in find_references(norm):
        out.append(Named(r.number, r.doc_type, re.match(r"\d*", r.number).group(0)))
        spans.append((r.start, r.end))
    folded = fold(norm)
    for m in _SHORT.finditer(folded):
        if any(s <= m.start("n") < e for s, e in spans):
            continue
        out.append(Named(None, TYPE_WORDS[m["t"]], m["n"]))
    return out


def _same_number(a: str, b: str) -> bool:
    return number_key(a) == number_key(b)


def _type_fits(asked: str | None, doc_type: str | None) -> bool:
    if not asked or not doc_type:
        return True
    return doc_type in _SAME_FAMILY.get(asked, {asked})


def names_document(n: Named, number: str | None, doc_type: str | None) -> bool:
    """Whether the question's ``n`` names a document numbered ``number`` of type ``doc_type``."""
    if not number:
        return False
    if n.number:
        return _same_number(n.number, number)
    lead = re.match(r"\d*", number).group(0)
    return bool(lead) and lead.lstrip("0") == n.lead.lstrip("0") and _type_fits(n.doc_type, doc_type)




def scope_of(engine, text: str) -> Scope:
    """The documents of ``engine`` that the question ``text`` names or points to."""
    named = numbers_named(text)
    s = Scope(named=named)
    folded = name_key(text)
    for doc_id, doc in engine.documents.items():
        h, entry = doc.header, engine.catalog.entries.get(doc_id)
        own = [(h.number, h.doc_type)] + ([(entry.number, entry.type)] if entry else [])
        if any(names_document(n, num, t) for n in named for num, t in own):
            s.docs.append(doc_id)
            continue
        score = 0.0
        cited = {r.number for r in doc.references}
        if any(names_document(n, num, None) for n in named for num in cited):
            score += 1.0
        place = place_of(doc)
        if place and _names_place(text, folded, place):
            score += 0.5
            # A question that also names a document ("… tại Hà Nội, TP.HCM trong QĐ 2530") is about
            # that place's documents only when they cite it or write its number in their header.
            if not named or score > 1.0 or any(names_document(n, r.number, None) for n in named for r in _head_refs(doc)):
                s.place = place
                s.place_docs.append(doc_id)
        if h.issuer and _names_issuer(text, h.issuer):
            score += 0.5  # "… theo kế hoạch của Ban cán sự đảng Chính phủ …"
        if h.title and _title_overlap(text, h.title) >= 0.2:
            score += 0.5
        if score:
            s.boost[doc_id] = score
    return s


HEAD = 1500  # characters of a document's beginning where its own number is written


def _head_refs(doc) -> list:
    """Document numbers written in a document's header ("… tỉnh X 2820/QĐ-UBND …")."""
    return find_references(normalize_text(doc.source[:HEAD]))


# A question is compared with every document's header: each side's normalised forms are made
# once (per question, per header), not once per pair (500 documents: 170 ms an answer).
@lru_cache(maxsize=4096)
def _key(text: str, marks: bool) -> str:
    from index.agencies import key

    return key(text, marks)


_normalized = lru_cache(maxsize=4096)(normalize_text)
_marked = lru_cache(maxsize=1024)(has_diacritics)


def _names_issuer(text: str, issuer: str) -> bool:
    """Whether the question writes the issuer's name (three words of it or more) after "của"/"do"."""
    name = _key(issuer, _marked(text))
    return len(name.split()) >= 3 and bool(re.search(rf"\b(?:cua|do|của)\s+{re.escape(name)}\b",
                                                     _key(text, _marked(text))))


def _names_place(text: str, folded: str, place: str) -> bool:
    """Whether a question names a province: "Ở Lào Cai, …", "tỉnh Lào Cai", "… của Lào Cai"; as
    written with its capitals, or after "ở", "tại", "tỉnh", "thành phố" in a question typed in
    lower case."""
    if re.search(rf"(?<!\w){re.escape(_normalized(place))}(?!\w)", _normalized(text)):
        return True
    if any(p == place and re.search(rf"(?<![\w.]){re.escape(alias)}(?![\w.])", folded.lower())
           for alias, p in PLACE_ALIASES.items()):
        return True  # "TP.HCM"
    return bool(re.search(rf"\b(?:o|tai|tinh|thanh pho|cua)\s+{re.escape(fold(place))}\b", folded)) and not any(
        ch.isupper() for ch in text[1:])



def _title_overlap(question: str, title: str) -> float:
    """Share of the title's content word pairs that the question writes (0 unless it writes two);
    with diacritics when the question has them ("đề án" is not "để …")."""
    marks = _marked(question)
    pairs = _pairs(title, marks)
    q = " ".join(_words(question, marks))
    shared = sum(p in q for p in pairs)
    return shared / len(pairs) if pairs and shared >= 2 else 0.0



@lru_cache(maxsize=4096)
def _words(text: str, marks: bool) -> tuple[str, ...]:
    t = normalize_text(text).lower()
    found = re.findall(r"[\w-]+", t if marks else fold(t))
    stop = TITLE if marks else TITLE_FOLDED  # words every title has: no sign of one document
    return tuple(w for w in found if w not in stop)


@lru_cache(maxsize=4096)
def _pairs(title: str, marks: bool) -> frozenset[str]:
    words = _words(title, marks)
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:]))
