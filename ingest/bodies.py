"""Names of Vietnamese public bodies in running text, open vocabulary.

A name is a head ("Bộ", "Sở", "Cục", "Ban cán sự đảng", "Ủy ban nhân dân", …) and its
complement, read by the rules of how Vietnamese writes such names: the complement opens
with a capital ("Sở Giao dịch chứng khoán Hà Nội", "Viện Khoa học lâm nghiệp Việt Nam"),
lower-case words continue it until a verb or a function word ends it ("Cục Biến đổi khí
hậu | phối hợp …"), a comma or "và" continues it only before another capitalised part
("Bộ Văn hóa, Thể thao và Du lịch") and ends it before another head ("Bộ Tài chính, Bộ
Công an"), and a place may follow ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung
ương"). Groups addressed as one ("các sở, ban, ngành", "Các cơ quan, đơn vị có liên quan")
are names too, marked ``group``. The vocabulary is data (``data/bodies.yaml``, read into
token phrases by ``ingest.body_vocab``); verbs the list does not know are told by
underthesea's part-of-speech tags (``ingest.pos``).

A gazetteer (``ingest.body_vocab.Gazetteer``: the registry's names and aliases) adds names
the rules cannot read ("Báo", "BTV Tỉnh ủy"); where both find a name, the longer wins. Bodies
named through their heads' titles ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …", "Phó Thủ tướng
…", a council's deputies) are read by ``ingest.titled``.

>>> [b.name for b in find_bodies("Bộ Tài chính chủ trì, phối hợp với Bộ Tài nguyên và Môi trường, các bộ, ngành liên quan")]
['Bộ Tài chính', 'Bộ Tài nguyên và Môi trường', 'các bộ, ngành liên quan']
>>> [b.name for b in find_bodies("Sở Văn hóa, Thể thao và Du lịch; Ủy ban nhân dân các xã, phường")]
['Sở Văn hóa, Thể thao và Du lịch', 'Ủy ban nhân dân các xã, phường']
>>> [b.name for b in find_bodies("Ban hành kế hoạch; trường hợp cần thiết, báo cáo Thủ tướng Chính phủ")]
['Thủ tướng Chính phủ']
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from ingest.body_vocab import Gazetteer, known_names, phrase_at, tokens, vocab
from ingest.name_edges import levels_after, place_after, standing
from ingest.party_names import party_names
from ingest.pos import joined, pos_tags
from ingest.titled import titled

_VERBISH = {"V", "A", "R", "E", "C", "P", "T", "X", "CH"}  # underthesea tags that end a name
# the bare heads a body's own text calls it by ("các đơn vị thuộc Bộ", "các phòng thuộc Sở")
_OWN_HEADS = {"Bộ", "Sở", "Cục", "Tổng cục", "Ban", "Viện", "Ngành", "Tỉnh ủy", "Thành ủy", "Đảng ủy"}
# the heads of a body's parts, whose name may say whose part it is ("Phòng Văn hóa - Xã hội thuộc UBND
# xã", "Vụ Pháp luật thuộc Ban Nội chính Trung ương"): every xã and many a ministry have one so named
_PART_HEADS = {"Phòng", "Chi cục", "Trung tâm", "Ban", "Cục", "Vụ", "Văn phòng", "Đội", "Viện", "Trường",
               "Tổng cục", "Chi nhánh", "Trụ sở", "Bộ phận"}


@dataclass(frozen=True)
class Body:
    """A body named in a text; ``start``/``end`` index that text."""

    name: str  # as written, spaces collapsed; a list entry gets its head ("Bộ Công Thương")
    start: int
    end: int
    group: bool = False  # addressed as a group ("các sở, ban, ngành")
    collective: bool = False  # every body of a kind: a group, or "UBND các xã, phường", "UBND cấp xã"


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.toks = tokens(text)
        self.v = vocab()
        self._starts = [tok.start for tok in self.toks]
        self._tags: dict[int, tuple[str, int]] = {}  # token -> (tag, first token of its word)
        self._list_end = 0

    # --- what stands at a position -------------------------------------------------------

    def head(self, i: int) -> tuple[str, int]:
        """(kind, length) of a head at ``i``: party | place | singleton | head | list | group."""
        t = self.toks
        if i >= len(t) or not t[i].word:
            return "", 0
        if t[i].text in ("Các", "các") and i + 1 < len(t):
            return self._group_head(i)
        if t[i].text in ("Cấp", "cấp") and i + 1 < len(t) and t[i + 1].text in ("ủy", "uỷ"):
            return "group", 2  # "Cấp ủy, tổ chức đảng các cấp"
        if not t[i].cap or self.title(i) or (i and t[i - 1].text == "Phó"):
            return "", 0  # "Phó Thủ tướng" is no "Thủ tướng"
        if t[i].text.isupper() and len(t[i].text) > 1 and not t[i].text.isalpha():
            return "", 0
        for kind in ("party_heads", "place_heads", "singletons", "heads"):
            if n := phrase_at(t, i, self.v[kind]):
                if t[i].text.isupper() and len(t[i].text) > 1 and kind != "singletons" \
                        and not any(p[0] == t[i].text for p in self.v[kind].by_first.get(t[i].text.lower(), ())):
                    continue  # capitals of a title line ("TỔ CHỨC THỰC HIỆN"): only whole singletons and
                    # the abbreviations the vocabulary writes so ("UBND", "HĐND", "BQL")
                return kind.removesuffix("_heads").removesuffix("s"), n
        return "", 0

    def _group_head(self, i: int) -> tuple[str, int]:
        t = self.toks
        n = phrase_at(t, i + 1, self.v["heads"])
        if n and t[i + 1].cap and i + 1 + n < len(t) and t[i + 1 + n].text == ":":
            return "list", n + 2  # "Các Bộ: Công Thương, Xây dựng"
        if n and t[i + 1].cap and self._capital_part(i + 1 + n):
            return "named_group", 1 + n  # "các Ban Xây dựng Đảng": every one of the bodies so named
        if n := phrase_at(t, i + 1, self.v["group_nouns"], fold_case=True):
            return ("", 0) if self._noun_runs_on(i + 1, i + 1 + n) else ("group", 1 + n)
        n = phrase_at(t, i + 1, self.v["place_heads"]) or phrase_at(t, i + 1, self.v["heads"])
        after = t[i + 1 + n] if n and i + 1 + n < len(t) else None
        if n and t[i + 1].cap and (after is None or not after.word or after.text in ("và", "của")
                                   or phrase_at(t, i + 1 + n, self.v["group_modifiers"])):
            return "group", 1 + n  # "các Ban Quản lý", "các Sở, Ban, Ngành" (not "các Bộ trưởng")
        return "", 0

    def _noun_runs_on(self, i: int, k: int) -> bool:
        """Whether the group noun of tokens ``i``..``k`` is only the start of a longer word ("các bộ
        phận", "các ngành nghề", "các hội viên"): no bodies, though "bộ", "ngành", "hội" are."""
        t = self.toks
        if k >= len(t) or not t[k].word or t[k].cap or phrase_at(t, k, self.v["group_nouns"], fold_case=True) \
                or phrase_at(t, k, self.v["group_modifiers"]):
            return False
        return joined(self.text[t[i].start : t[min(k + 3, len(t) - 1)].end].lower(), t[k - 1].end - t[i].start)

    def stop(self, i: int) -> int:
        return phrase_at(self.toks, i, self.v["stops"], fold_case=True)

    def title(self, i: int) -> int:
        return phrase_at(self.toks, i, self.v["titles"], fold_case=True)

    def _tag_line(self, k: int) -> None:
        """Tag the words of the line that token ``k`` sits in (once per line, in context)."""
        if k in self._tags:
            return
        s = self.text.rfind("\n", 0, self.toks[k].start) + 1
        e = self.text.find("\n", self.toks[k].start)
        e = len(self.text) if e == -1 else e
        line = range(bisect_left(self._starts, s), bisect_left(self._starts, e))
        for (ws, we), tag in pos_tags(self.text[s:e]):
            inside = range(bisect_left(self._starts, s + ws), bisect_left(self._starts, s + we))
            for j in inside:
                self._tags.setdefault(j, (tag, inside[0]))
        for j in line:
            self._tags.setdefault(j, ("N", j))

    def _in_capital_word(self, k: int, i: int) -> bool:
        """Token ``k`` belongs to a tagged word that a capitalised token (at ``i`` or later) opens or contains."""
        self._tag_line(k)
        first = self._tags[k][1]
        return any(self.toks[j].cap for j in range(max(first, i), k))

    def _compound(self, k: int) -> bool:
        """Whether tokens ``k`` and ``k + 1`` form one word when read in lower case ("Biến đổi
        khí hậu" → "biến_đổi"), as underthesea segments them."""
        return joined(self.text[self.toks[k].start : self.toks[min(k + 4, len(self.toks) - 1)].end].lower(),
                       len(self.toks[k].text))

    def _verbish(self, k: int) -> bool:
        self._tag_line(k)
        return self._tags[k][0] in _VERBISH

    # --- extending a name ----------------------------------------------------------------

    def place(self, i: int) -> int:
        """Tokens of a place tail at ``i`` ("các tỉnh, thành phố trực thuộc trung ương", "tỉnh Lào Cai")."""
        t, v, k = self.toks, self.v, i
        if k < len(t) and t[k].text in ("các", "Các") and not phrase_at(t, k, v["places"]):
            k += 1  # "các tỉnh, thành phố" (not "các cấp", a place of its own)
        n = phrase_at(t, k, v["places"])
        if not n:
            n = phrase_at(t, k, v["numbered_places"])
            if not (n and k + n < len(t) and t[k + n].cap):
                return 0
        k += n
        while k + 1 < len(t) and t[k].text in (",", "và") and (m := phrase_at(t, k + 1, v["places"])):
            k += 1 + m
        k += phrase_at(t, k, v["place_links"])
        if k < len(t) and t[k].cap and (m := phrase_at(t, k, v["places"], fold_case=True)):
            k += m  # "các cấp Thành phố": the city the text is of
        while k < len(t) and t[k].word and t[k].cap and not self.head(k)[1] and not self.title(k):
            k += 1  # the place's own name: "tỉnh Bình Thuận", "phường Phú Thủy"
        return k - i

    def _capital_part(self, k: int) -> bool:
        t = self.toks
        return k < len(t) and t[k].word and t[k].cap and not self.head(k)[1] and not self.title(k)

    def complement(self, i: int, need_cap: bool) -> int:
        """End (exclusive) of the complement that starts at token ``i``."""
        t, end, k = self.toks, i, i
        while k < len(t):
            tok = t[k]
            if tok.word and tok.cap:
                if k > i and not self._capital_part(k):
                    break
                k = end = k + 1
                continue
            if tok.word:
                if self._in_capital_word(k, i) or (k > i and t[k - 1].cap and not self.stop(k) and self._compound(k - 1)):
                    k = end = k + 1  # "Tài chính", "Biến đổi": one word with a capital in it
                    continue
                if k == i and need_cap:
                    return i
                if n := self.place(k):
                    return k + n
                if tok.text == "và":
                    if self._capital_part(k + 1):
                        k += 1
                        continue
                    if (j := self._through(k + 1)) is None:
                        break
                    k = end = j
                    continue
                if self.stop(k) or self._verbish(k):
                    break
                k = end = k + 1
                continue
            if tok.text in ("-", "–", "&") and k > i and self._capital_part(k + 1):
                k += 1  # "Phát thanh - Truyền hình", "Kế hoạch - Tài chính"
                continue
            if tok.text == "," and k > i and (n := self._comma_name(i, k)):
                k = end = n
                continue
            break
        return end

    def _comma_name(self, i: int, k: int) -> int:
        """End of a listed name with a comma inside ("Văn hóa, Thể thao và Du lịch") that the
        complement from ``i`` runs into at the comma ``k``; 0 if none."""
        for p in self.v["comma_names"]:
            comma = p.index(",")
            for s in range(max(i, k - comma), k):
                if phrase_at(self.toks, s, [p]) and s + comma == k:
                    return s + len(p)
        return 0

    def _through(self, k: int) -> int | None:
        """After "và", a lower-case run that reaches a capitalised part of the same name within
        four words ("Lưu ký và bù trừ chứng khoán Việt Nam"): the index after it, else None."""
        t = self.toks
        for j in range(k, min(k + 5, len(t))):
            if not t[j].word or self.stop(j) or t[j].text in ("các", "Các"):
                return None
            if t[j].cap:
                if not self._capital_part(j):
                    return None
                while self._capital_part(j):
                    j += 1
                return j
        return None

    def name_at(self, i: int) -> tuple[int, str] | None:
        """(end token, kind) of a name starting at token ``i``."""
        kind, n = self.head(i)
        if not n:
            return None
        t, j = self.toks, i + n
        if kind == "group":
            while j < len(t):
                if (owner := self._owner(j)) is not None:
                    j = owner  # "các Ban của HĐND Thành phố", "các cơ quan chuyên môn thuộc UBND tỉnh": the council's
                    break
                if t[j].text in (",", ";", "và") and (m := phrase_at(t, j + 1, self.v["group_nouns"], fold_case=True)):
                    j += 1 + m
                elif m := phrase_at(t, j, self.v["group_modifiers"]):
                    j += m
                else:
                    break
            return j, "group"
        if kind == "list":
            return j, "list"
        if kind == "named_group":
            end = self.complement(j, need_cap=True)
            return end + self.place(end), "group"
        if kind == "party":
            if (inner := self.name_at(j)) is not None and inner[1] in ("body", "collective"):
                return inner  # "Ban Thường trực Ủy ban MTTQ Việt Nam cấp xã": every commune's, a collective
            end = self.complement(j, need_cap=True)
            if end == j and j + 1 < len(t) and t[j].text == "và" and self._capital_part(j + 1):
                end = self.complement(j + 1, need_cap=True)  # "Ban Tuyên giáo và Dân vận Tỉnh ủy"
            if end > j:
                return end + self.place(end), "body"
            p = self.place(j)
            # "Ban Thường vụ chỉ đạo …" in a Party committee's text: its own standing committee
            alone = " ".join(x.text for x in t[i:j]) in ("Đảng ủy", "Ban Thường vụ", "Ban Chấp hành")
            return (j + p, "body") if p or alone else None
        if kind in ("place", "singleton"):
            if p := self.place(j):
                # "Ủy ban nhân dân các xã, phường", "UBND các tỉnh, thành phố": every one of them
                every = t[j].text in ("các", "Các") or phrase_at(t, j, self.v["every_place"])
                return j + p, "collective" if every and kind == "place" else "body"
            if kind == "place" and phrase_at(t, i, self.v["needs_place"]) == n:
                return None  # "Thuế giá trị gia tăng": no body without its place
            end = self.complement(j, need_cap=True) if kind == "place" else j
            return end + self.place(end), "body"
        end = self.complement(j, need_cap=True)
        if end == j:
            return None
        end += self.place(end)
        if self._part_head(i, j) and end < len(t) and t[end].text in ("thuộc", "trực") \
                and (owner := self._owner(end)) is not None:
            return owner, "body"  # "Ban Tiếp công dân thuộc Văn phòng UBND tỉnh": one body, named with its owner
        return end, "collective" if self._every(end) else "body"

    def _part_head(self, i: int, j: int) -> bool:
        return " ".join(x.text for x in self.toks[i:j]) in _PART_HEADS

    def _owner(self, j: int) -> int | None:
        """End of the body a group belongs to, written at ``j``: "của / thuộc / trực thuộc /
        thuộc, trực thuộc" and its name ("các đơn vị trực thuộc UBND tỉnh"), or the bare head a
        ministry's or a department's own text calls itself by ("các đơn vị thuộc Bộ", "thuộc Sở")."""
        t, k = self.toks, j
        if k < len(t) and t[k].text == "trực":
            k += 1
        if k >= len(t) or t[k].text not in ("của", "thuộc") or (k > j and t[k].text != "thuộc"):
            return None
        k += 1
        if k + 2 < len(t) and t[k].text in (",", "và") and t[k + 1].text == "trực" and t[k + 2].text == "thuộc":
            k += 3  # "thuộc, trực thuộc", "thuộc và trực thuộc"
        if (inner := self.name_at(k)) is not None and inner[1] == "body":
            return inner[0]
        if k < len(t) and t[k].text in _OWN_HEADS and (k + 1 == len(t) or not t[k + 1].cap) \
                and not (k + 2 < len(t) and t[k + 1].text in (",", "và") and phrase_at(t, k + 2, self.v["group_nouns"])):
            return k + 1  # not "thuộc Bộ, ngành": every ministry and branch
        return None

    def _every(self, k: int) -> bool:
        """A place tail at ``k`` that stands for every place of a level ("các tỉnh", "các cấp", "cấp xã")."""
        t = self.toks
        return k < len(t) and bool(self.place(k)) and (t[k].text in ("các", "Các") or phrase_at(t, k, self.v["every_place"]))

    def bodies(self) -> list[Body]:
        out, t, i = [], self.toks, 0
        while i < len(t):
            if (held := titled(t, i, self.name_at)) is not None:
                end, name, group = held
                out.append(Body(name, t[i].start, t[end - 1].end, group, group))
                i = end
                continue
            found = self.name_at(i)
            if found is None:
                i += 1
                continue
            end, kind = found
            if kind == "list":
                out += self._list(i, end)
                i = max(end, self._list_end)
                continue
            while end > i + 1 and (not t[end - 1].word or t[end - 1].text in ("và", "các")):
                end -= 1
            s, e = t[i].start, t[end - 1].end
            out.append(Body(" ".join(self.text[s:e].split()), s, e, kind == "group", kind in ("group", "collective")))
            i = end
        return out

    def _list(self, i: int, j: int) -> list[Body]:
        """"Các Bộ: Công Thương, Giao thông vận tải, Xây dựng" → Bộ Công Thương, … (spans of the
        parts). A part runs to the next comma or semicolon; a part that is a name of its own
        ("Ngân hàng Nhà nước Việt Nam") keeps it."""
        head = " ".join(x.text for x in self.toks[i + 1 : j - 1])
        out, k, t = [], j, self.toks
        while k < len(t) and t[k].word and t[k].cap:
            end = k
            while end < len(t) and (t[end].word or t[end].text in ("-", "–", "&")) and not (
                    end > k and t[end].word and not t[end].cap and self.stop(end) and t[end].text != "và"):
                end += 1
            while end > k + 1 and t[end - 1].text in ("và",):
                end -= 1
            s, e = t[k].start, t[end - 1].end
            written = " ".join(self.text[s:e].split())
            own = self.head(k)[0] in ("head", "singleton", "party")
            out.append(Body(written if own else f"{head} {written}", s, e))
            k = end
            if k < len(t) and t[k].text in (",", ";"):
                k += 1
            else:
                break
        self._list_end = k
        return out


def find_bodies(text: str, gazetteer: Gazetteer | None = None) -> list[Body]:
    """Bodies named in ``text`` (normalised text: see ``ingest.normalize``), in order."""
    found = standing(text, _Reader(text).bodies())
    # the vocabulary's own names may take a place after them; the registry's are whole
    spans = [(s, *levels_after(text, place_after(text, e))) for s, e in known_names().find(text, capital=True)]
    spans += [(s, e, False, False) for s, e in gazetteer.find(text, capital=True)] if gazetteer else []
    spans += [(p.start, p.end, p.group, p.collective) for p in party_names(text)]  # "ban thường vụ tỉnh ủy"
    for s, e, group, every in sorted(spans, key=lambda se: se[0] - se[1]):  # longest first
        if not any(b.start <= s and e <= b.end for b in found):
            found = [b for b in found if b.end <= s or b.start >= e]
            found.append(Body(" ".join(text[s:e].split()), s, e, group, every))
    return sorted(found, key=lambda b: b.start)
