"""Expansions of abbreviations (and a few English words) into Vietnamese long forms.

The expansions are appended, never substituted, so the original words still match.
Both documents and queries are expanded, so either spelling finds the other.

>>> expand("Sở KH&CN phải làm gì?")
'Sở KH&CN phải làm gì? khoa học và công nghệ'
>>> expand("so KHCN")
'so KHCN khoa học công nghệ'
>>> expand("Which department allocates the budget?")
'Which department allocates the budget? sở kinh phí ngân sách'
>>> expand("không có gì")
'không có gì'
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ingest.normalize import fold, folded, normalize_text


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern, dict[str, str]]:
    text = resources.files("ingest").joinpath("data/expansions.txt").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            short, long = (s.strip() for s in line.split("=", 1))
            key = folded(short)
            table[key] = normalize_text(long)
            table.setdefault(key.replace("&", ""), normalize_text(long))  # KH&CN → KHCN too
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w&])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w&])")
    return pattern, table


def expand_inline(text: str) -> str:
    """``text`` with each abbreviation replaced by its long form (for comparing names).

    >>> expand_inline("Sở KH&CN và UBND tỉnh")
    'Sở khoa học và công nghệ và ủy ban nhân dân tỉnh'
    """
    pattern, table = _table()
    norm = normalize_text(text)
    out, pos = [], 0
    for m in pattern.finditer(fold(norm)):
        out += [norm[pos : m.start()], table[m.group(1)]]
        pos = m.end()
    return "".join(out + [norm[pos:]])


def expand(text: str) -> str:
    """``text`` followed by the long forms of the abbreviations it contains."""
    pattern, table = _table()
    seen: list[str] = []
    for m in pattern.finditer(folded(text)):
        long = table[m.group(1)]
        if long not in seen:
            seen.append(long)
    return " ".join([text, *seen]) if seen else text
