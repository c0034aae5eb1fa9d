"""Bodies named through the titles of the people who head or sit in them, where the title is all
the text gives: the list a Government text addresses ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ
quan thuộc Chính phủ, …"), a Deputy Prime Minister named in person ("Phó Thủ tướng Nguyễn Văn A")
and a council's deputies ("các Tổ đại biểu và đại biểu Hội đồng nhân dân Thành phố").

A title before a named body ("Giám đốc Sở Tài chính") needs nothing here: the body is read by its
own name and the title, before it, stands for it (``ingest.assign``).

>>> from ingest.body_vocab import tokens
>>> titled(tokens("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Chủ tịch …"), 0)[1:]
('các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ', True)
>>> titled(tokens("Người đứng đầu cơ quan, đơn vị có trách nhiệm"), 0)[1:]
('các cơ quan, đơn vị', True)
>>> titled(tokens("Giao Phó Thủ tướng Lê Văn Mẫu chỉ đạo"), 1)[1:]
('Phó Thủ tướng Lê Văn Mẫu', False)
>>> from ingest.bodies import _Reader
>>> t = tokens("các Tổ đại biểu và đại biểu Hội đồng nhân dân Thành phố giám sát")
>>> titled(t, 0, _Reader(" ".join(x.text for x in t)).name_at)[1:]
('các Tổ đại biểu và đại biểu Hội đồng nhân dân Thành phố', True)
>>> titled(tokens("Giám đốc Sở Tài chính"), 0), titled(tokens("Người đứng đầu cơ quan có thẩm quyền"), 0)
(None, None)
"""

from __future__ import annotations

from functools import lru_cache

from ingest.body_vocab import Token, phrase_at, vocab

_ALONE = {"bộ trưởng": "bộ"}  # "Bộ trưởng, Thủ trưởng …": the title alone names every ministry
_DEPUTY = (("Phó", "Thủ", "tướng"),)
_GOVERNMENT = (("Chính", "phủ"),)
_TEAMS = (("Tổ", "đại", "biểu"),)
_DEPUTIES = (("đại", "biểu"),)


def titled(toks: list[Token], i: int, name_at=None) -> tuple[int, str, bool] | None:
    """(end token, name, group) of a body named through a title at ``toks[i]``; None if none.
    ``name_at(k)`` reads a body's name at token ``k`` (``ingest.bodies``): the council deputies belong to.
    Called at every token of a text: a word no such name opens is turned away first."""
    if toks[i].text.lower() not in _openers():
        return None
    return _deputy(toks, i) or _titled_group(toks, i) or (_deputies(toks, i, name_at) if name_at else None)


@lru_cache(maxsize=1)
def _openers() -> frozenset[str]:
    """The words such a name can open with: a title's first word, "các", "tổ", "đại"."""
    return frozenset(vocab()["titles"].by_first) | {"các", "tổ", "đại", "phó"}



def _deputies(toks: list[Token], i: int, name_at) -> tuple[int, str, bool] | None:
    """"(các) Tổ đại biểu và (các) đại biểu Hội đồng nhân dân Thành phố", "đại biểu Quốc hội tỉnh
    X": a council's deputies, whom its resolutions charge with overseeing them (a group)."""
    if i and toks[i - 1].text.lower() == "đoàn":
        return None  # "Đoàn đại biểu Quốc hội": the delegation, a body of its own
    k = i + (toks[i].text.lower() == "các")
    team = phrase_at(toks, k, _TEAMS, fold_case=True)
    if team:
        k += team
        if k + 1 < len(toks) and toks[k].text == "và":
            j = k + 1 + (toks[k + 1].text.lower() == "các")
            if n := phrase_at(toks, j, _DEPUTIES, fold_case=True):
                k = j + n
    elif n := phrase_at(toks, k, _DEPUTIES, fold_case=True):
        k += n
    else:
        return None
    council = name_at(k) if k < len(toks) and toks[k].cap else None
    if council is None or council[1] != "body":
        return None
    return council[0], _text(toks, i, council[0]), True


def _deputy(toks: list[Token], i: int) -> tuple[int, str, bool] | None:
    """"Phó Thủ tướng (Chính phủ) Nguyễn Văn A": the person the Government charges; "các Phó Thủ tướng"."""
    many = toks[i].text.lower() == "các"
    k = i + many
    if not (n := phrase_at(toks, k, _DEPUTY, fold_case=True)):
        return None
    k += n
    if many:
        return k, " ".join(t.text for t in toks[i:k]), True
    k += phrase_at(toks, k, _GOVERNMENT)
    name_end = k
    while name_end < len(toks) and name_end - k < 4 and toks[name_end].word and toks[name_end].cap:
        name_end += 1
    if name_end - k < 2:  # a person's name has two words at least
        return None
    return name_end, " ".join(t.text for t in toks[i:name_end]), False


def _titled_group(toks: list[Token], i: int) -> tuple[int, str, bool] | None:
    """"(Các) Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ": the bodies every
    one of whose heads is addressed. Read only where no body name follows the titles, and with two
    kinds of body at least: "Người đứng đầu cơ quan có thẩm quyền" is one officer, and "Thủ trưởng
    các cơ quan, đơn vị" is read by its own name ("các cơ quan, đơn vị")."""
    v, k = vocab(), i + (toks[i].text.lower() == "các")
    nouns: list[str] = []
    titles = end = 0
    while k < len(toks):
        title = phrase_at(toks, k, v["titles"], fold_case=True)
        start = k + title
        if start < len(toks) and toks[start].text.lower() == "các":
            start += 1
        n = phrase_at(toks, start, v["group_nouns"], fold_case=True)
        if n and start + n < len(toks) and toks[start + n].word and toks[start + n].cap:
            n = 0  # "Giám đốc Sở Tài chính": a named body
        alone = _ALONE.get(" ".join(t.text.lower() for t in toks[k:start])) if title and not n else None
        if not n and not (alone and start < len(toks) and toks[start].text in (",", "và")):
            break
        if not nouns and not title:
            return None
        titles += bool(title)
        nouns.append(alone or _text(toks, start, start + n))
        end = k = start + n
        if k + 1 < len(toks) and toks[k].text in (",", ";", "và"):
            k += 1
        else:
            break
    if len(nouns) < 2 or titles < 2 and toks[i + phrase_at(toks, i, v["titles"], fold_case=True)].text.lower() == "các":
        return None
    nouns_end = end
    while m := phrase_at(toks, end, v["group_modifiers"]):
        end += m
    modifiers = _text(toks, nouns_end, end)
    return end, "các " + ", ".join(nouns) + (" " + modifiers if modifiers else ""), True


def _text(toks: list[Token], s: int, e: int) -> str:
    return " ".join(t.text for t in toks[s:e]).replace(" ,", ",")
