"""Which agencies a question names: "Sở KH&CN phải làm gì?", "so tai chinh phoi hop voi ai",
"UBND tỉnh" (and, less well, "Ủy ban nhân dân các tỉnh, thành phố…"), matched word by word on
folded text with abbreviations spelled out (``index.agencies.key``), against the registry's names
and the names the documents write."""

from __future__ import annotations

from dataclasses import dataclass

from index.agencies import Agency, Registry, is_holder, key
from ingest.tokens import has_diacritics


def _tokens(name: str, marks: bool = False, spell_out: bool = True) -> list[str]:
    return key(name, marks, spell_out).split()


_HEADS = {"so", "sở", "bo", "bộ", "ban", "uy", "ủy", "ubnd", "cuc", "cục", "vu", "vụ", "vien", "viện", "van", "văn",
          "trung", "tong", "tổng", "hoi", "hội", "hđnd", "hdnd", "cong", "công", "thanh", "dang", "đảng", "tinh", "tỉnh"}


def _spelled(variant: str) -> bool:
    """Whether a name's abbreviations are spelled out to compare it: "Sở KH&CN" is Sở Khoa học
    và Công nghệ, but a bare "KH&CN" stays an abbreviation (spelled out, it is a field of work:
    "nhiệm vụ khoa học và công nghệ" names no agency)."""
    words = key(variant, spell_out=False).split()
    return bool(words) and words[0] in _HEADS


def match_length(query: list[str], name: list[str], with_position: bool = False):
    """How many words of ``name`` the query writes in order, from a word that opens the name,
    skipping words of the name the query leaves out ("UBND tỉnh" in "Ủy ban nhân dân các tỉnh,
    thành phố trực thuộc trung ương"). 0 when the query does not name it.

    >>> match_length("ubnd tinh can lam gi".split(), "ubnd tinh thanh pho truc thuoc trung uong".split())
    2
    """
    best, where = 0, -1
    for i, w in enumerate(query):
        if w != name[0]:
            continue
        j, k, matched = 0, i, 0
        while k < len(query) and j < len(name):
            if query[k] == name[j]:
                k, j, matched = k + 1, j + 1, matched + 1
            elif query[k] in name[j + 1 : j + 4]:
                j += 1  # a word of the name the query leaves out
            else:
                break
        if matched > best:
            best, where = matched, i
    return (best, where) if with_position else best


@dataclass
class Named:
    agency: Agency
    words: int  # how many words of its name the query writes
    share: float  # … of all the words of that name
    at: int  # where in the query (word index)
    offered: bool = False  # named as one of two the question weighs ("Sở KH&CN hay sở nào …")


_OR = {"hay", "hoặc", "hoac"}


def named_in(registry: Registry, query: str, names: dict[str, set[str]] | None = None) -> list[Named]:
    """Agencies a query names, most words first.

    ``names`` adds, per agency id, the names documents write it with. A name counts when the
    query writes all of it, or three words of it or more ("UBND tỉnh" names ``ubnd-tinh`` and,
    less well, "Ủy ban nhân dân các tỉnh, thành phố…"; "thanh tra, kiểm tra" names no
    "Thanh tra tỉnh"). A name next to "hay" / "hoặc" is ``offered``: the question asks whether
    it is the one.

    >>> from pathlib import Path
    >>> r = Registry.load(Path("corpus/agencies.yaml"))
    >>> [(n.agency.name, n.offered) for n in named_in(r, "Việc này do Sở Tài chính hay sở nào phụ trách?")][:1]
    [('Sở Tài chính', True)]
    """
    marks = has_diacritics(query)
    spelled, raw = _tokens(query, marks), _tokens(query, marks, spell_out=False)
    out = []
    for a in registry.agencies.values():
        variants = {a.name, *a.aliases, *(names or {}).get(a.id, ())}
        best: Named | None = None
        for v in variants:
            whole = _spelled(v)
            n = _tokens(v, marks, spell_out=whole)
            if not n:
                continue
            if (a.kind == "nhom" and a.origin == "document" and len(n) < 3) or is_holder(a):
                continue  # "các doanh nghiệp", "công chức": words of running text, not names to look for
            q = spelled if whole else raw
            m, at = match_length(q, n, with_position=True)
            if (m == len(n) or m >= 3) and (best is None or (m, m / len(n)) > (best.words, best.share)):
                offered = (at > 0 and q[at - 1] in _OR) or (at + m < len(q) and q[at + m] in _OR)
                best = Named(a, m, m / len(n), at, offered)
        if best:
            out.append(best)
    out.sort(key=lambda x: (-x.words, -x.share, x.agency.origin != "registry"))
    return out
