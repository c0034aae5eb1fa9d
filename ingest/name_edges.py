"""What stands around a body's name once it is read: "thường trực" before it (its standing
committee, "Đề nghị thường trực các tỉnh ủy …"), a place after a name the vocabulary knows
("Ban Quản lý các khu chế xuất và công nghiệp | Cần Thơ") and "các cấp" (the body at every
level). Used by ``ingest.bodies.find_bodies``."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ingest.body_vocab import single_heads
from ingest.normalize import fold

if TYPE_CHECKING:
    from ingest.bodies import Body


_STANDING_OF = re.compile(r"(?<!co quan )(?<!don vi )(?<!vai tro )\bthuong truc $")


def standing(text: str, found: list[Body]) -> list[Body]:
    """A body after a lower-case "thường trực" is its standing committee ("Đề nghị thường trực các
    tỉnh ủy, thành ủy …"), not the body itself; "cơ quan thường trực Ban Chỉ đạo" is another body."""
    out = []
    for b in found:
        at = b.start - len("thường trực ")
        if at >= 0 and text[at] == "t" and _STANDING_OF.search(fold(text[max(0, at - 12) : b.start])):
            b = replace(b, name=f"{text[at : b.start]}{b.name}", start=at, group=False)
        out.append(b)
    return out


def place_after(text: str, end: int) -> int:
    """The end of a known name that ends in a lower-case word with the capitalised place after it
    ("Ban Quản lý các khu chế xuất và công nghiệp | Cần Thơ"): up to three capitalised words, no head."""
    if end == 0 or not text[:end].split()[-1].islower():
        return end  # "… Việt Nam": a place of its own
    for _ in range(3):
        m = re.match(r"[ \t]+([^\W\d_][\w-]*)", text[end:])
        if not m or not m.group(1)[0].isupper() or m.group(1) in single_heads():
            break
        end += m.end()
    return end


_LEVELS = re.compile(r"[ \t]+các cấp\b")


def levels_after(text: str, end: int) -> tuple[int, bool, bool]:
    """(end, group, collective) of a known name that may be followed by "các cấp" ("Mặt trận Tổ
    quốc Việt Nam các cấp (Thành phố)"): the body at every level, a collective."""
    if m := _LEVELS.match(text, end):
        return place_after(text, m.end()), False, True
    return end, False, False
