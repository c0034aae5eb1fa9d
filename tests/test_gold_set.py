"""Keeps the evaluation set tests/eval/gold.yaml honest.

Self-contained on purpose: the plan's outline (which paths exist, how many bullets each item has) is
read here with a small regex over the plan text, not with the project's parser, so a parser bug cannot
make a wrong gold path look right.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "eval" / "gold.yaml"
PLAN = ROOT / "corpus" / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"

KINDS = {"who", "what-agency", "topic", "nodiac", "abbr", "english", "docnum"}
MIN_PER_KIND = {
    "who": 30,
    "what-agency": 12,
    "topic": 15,
    "nodiac": 12,
    "abbr": 10,
    "english": 6,
    "docnum": 4,
}
ROLES = {"chủ trì", "phối hợp", "tham mưu", "đầu mối", "theo dõi/đôn đốc", "báo cáo"}
KNOWN_DOCS = {"kh-ubnd-2024-cnsh", "ctr-64-tu-2023", "nq-36-tw-2023", "nq-189-cp-2023"}
COPY_RUN = 8  # this many consecutive words (syllables) shared with the plan = copied
# Proper names may be quoted whole: each counts as one word in the copy check.
PROPER_NAMES = [
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Công thương",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Đài Phát thanh – Truyền hình",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Y tế",
    "Ủy ban nhân dân",
    "Trung tâm Thông tin và Ứng dụng tiến bộ KHCN",
    "Khu thực nghiệm công nghệ sinh học",
    "Ban Thường vụ Tỉnh ủy",
    "Bộ Chính trị",
]

ROMAN_RE = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X)\.\s+(\S.*)$")
SUBITEM_RE = re.compile(r"^(?:[·\-]\s*)?(\d+)\.(\d+)\.\s+\S")
ITEM_RE = re.compile(r"^(?:[·\-]\s*)?(\d+)\.\s+\S")
BULLET_RE = re.compile(r"^[·\-]")


# ------------------------------------------------------------------------------------------ helpers
def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _fold_words(s: str) -> list[str]:
    """Lower-case, strip diacritics (đ → d), split into words: copying is caught with or without tones."""
    s = _nfc(s).replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return re.findall(r"\w+", s.lower())


def _copy_words(s: str) -> list[str]:
    """Folded words with each proper name collapsed into a single token."""
    text = " " + " ".join(_fold_words(s)) + " "
    # longest first, so a name containing another is collapsed whole
    for i, name in sorted(enumerate(PROPER_NAMES), key=lambda p: -len(p[1])):
        pattern = r"(?<!\S)" + re.escape(" ".join(_fold_words(name))) + r"(?!\S)"
        text = re.sub(pattern, f"name{i}", text)
    return text.split()


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", _nfc(s)).strip()


def parse_outline(text: str) -> tuple[dict[str, int], dict[str, str]]:
    """Return ({path: bullet count} for every section/item, {path: text of the node incl. heading})."""
    counts: dict[str, int] = {"preamble": 0}
    texts: dict[str, list[str]] = {"preamble": []}
    roman: str | None = None
    current = "preamble"

    def open_node(path: str, line: str) -> None:
        nonlocal current
        assert path not in counts, f"duplicate heading {path}: {line!r}"
        counts[path] = 0
        texts[path] = [line]
        current = path

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = ROMAN_RE.match(line)
        if m and m.group(2) == m.group(2).upper():
            roman = m.group(1)
            open_node(roman, line)
            continue
        if roman is not None:
            m = SUBITEM_RE.match(line)
            if m:
                parent = f"{roman}.{m.group(1)}"
                assert parent in counts, f"sub-item without parent: {line!r}"
                open_node(f"{parent}.{m.group(2)}", line)
                continue
            m = ITEM_RE.match(line)
            if m:
                open_node(f"{roman}.{m.group(1)}", line)
                continue
            if BULLET_RE.match(line):
                counts[current] += 1
                bullet = f"{current}/{counts[current]}"
                texts[bullet] = [line]
                texts[current].append(line)
                continue
        texts[current].append(line)
    return counts, {k: _squash(" ".join(v)) for k, v in texts.items()}


def valid_paths(counts: dict[str, int]) -> set[str]:
    paths = set(counts)
    for path, n in counts.items():
        paths.update(f"{path}/{i}" for i in range(1, n + 1))
    return paths


def _item_of(path: str) -> str:
    return path.split("/", 1)[0]


# ------------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def plan_text() -> str:
    return _nfc(PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def outline(plan_text):
    return parse_outline(plan_text)


@pytest.fixture(scope="module")
def paths(outline) -> set[str]:
    return valid_paths(outline[0])


@pytest.fixture(scope="module")
def gold() -> dict:
    data = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "gold.yaml must be a mapping"
    return data


@pytest.fixture(scope="module")
def questions(gold) -> list[dict]:
    qs = gold.get("questions")
    assert isinstance(qs, list)
    return qs


def _all_entries(gold) -> list[dict]:
    return list(gold["questions"]) + list(gold.get("succession") or []) + list(gold.get("not_loaded") or [])


# ------------------------------------------------------------------------------------------ the outline itself
def test_outline_reader_sees_the_plan_as_expected(outline):
    """Pins the regex reading of the plan, so the checks below rest on the right outline."""
    counts, _ = outline
    assert set(counts) == {
        "preamble",
        "I", "I.1", "I.2", "I.2.1", "I.2.2",
        "II", *(f"II.{i}" for i in range(1, 6)),
        "III", *(f"III.{i}" for i in range(1, 13)),
    }
    bullets = {k: v for k, v in counts.items() if v}
    assert bullets == {
        "I.2.1": 4,
        "II.1": 3, "II.2": 3, "II.3": 5, "II.4": 3, "II.5": 2,
        "III.1": 6, "III.2": 4, "III.3": 2, "III.5": 3, "III.6": 2, "III.12": 2,
    }


def test_outline_bullets_land_where_expected(outline):
    _, texts = outline
    assert texts["III.1/1"].startswith("· Là cơ quan đầu mối")
    assert texts["III.1/2"].startswith("- Chủ trì phối hợp")
    assert "nguồn gen quý" in texts["II.3/1"]
    assert "bố trí kinh phí" in texts["III.8"]
    assert texts["III.1"].startswith("· 1. Sở Khoa học và Công nghệ")


# ------------------------------------------------------------------------------------------ the gold set
def test_gold_parses_and_has_enough_questions(gold, questions):
    assert len(questions) >= 80
    assert set(gold) <= {"questions", "succession", "not_loaded"}


def test_every_question_well_formed(questions):
    required = {"q", "kind", "item", "also", "clause"}
    allowed = required | {"agency", "role"}
    for q in questions:
        assert required <= set(q), q
        assert set(q) <= allowed, q
        assert isinstance(q["q"], str) and q["q"].strip(), q
        assert q["kind"] in KINDS, q
        assert isinstance(q["also"], list), q
        assert q["item"] not in q["also"], q
        assert len(set(q["also"])) == len(q["also"]), q
        if "role" in q:
            assert q["role"] in ROLES, q
            assert "agency" in q, f"role without agency: {q}"


def test_questions_unique(gold):
    seen = Counter(_squash(e["q"]).lower() for e in _all_entries(gold))
    assert [q for q, n in seen.items() if n > 1] == []


def test_counts_per_kind(questions):
    counts = Counter(q["kind"] for q in questions)
    short = {k: (counts.get(k, 0), n) for k, n in MIN_PER_KIND.items() if counts.get(k, 0) < n}
    assert short == {}, f"kind: (have, need) {short}"


def test_paths_exist(questions, paths):
    for q in questions:
        for p in [q["item"], q["clause"], *q["also"]]:
            assert p in paths, f"{p!r} is not a path of the plan: {q['q']}"
        # `item` is the numbered item, never a bullet; `clause` is that item or one of its bullets.
        assert "/" not in q["item"] and all("/" not in a for a in q["also"]), q
        assert _item_of(q["clause"]) == q["item"], q


def test_who_questions_name_a_plan_agency(questions, plan_text, outline):
    _, texts = outline
    plan = _squash(plan_text)
    for q in questions:
        if q["kind"] == "who":
            assert q.get("agency"), f"who-question without agency: {q['q']}"
        if "agency" in q:
            agency = _squash(q["agency"])
            assert agency in plan, f"agency not named so in the plan: {agency!r}"
            # the answering item is that agency's own item (its heading names it)
            assert agency in texts[q["item"]], f"{agency!r} is not named in {q['item']}: {q['q']}"


def test_nothing_copied_from_the_plan(gold, plan_text):
    words = _copy_words(plan_text)
    grams = {tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}
    copied = []
    for e in _all_entries(gold):
        qw = _copy_words(e["q"])
        for i in range(len(qw) - COPY_RUN + 1):
            if tuple(qw[i : i + COPY_RUN]) in grams:
                copied.append((e["q"], " ".join(qw[i : i + COPY_RUN])))
                break
    assert copied == []


def test_kind_matches_the_wording(questions):
    for q in questions:
        text = q["q"]
        if q["kind"] in {"nodiac", "english"}:
            assert text.isascii(), f"{q['kind']} question has diacritics: {text}"
        else:
            assert not text.isascii(), f"Vietnamese question typed without diacritics: {text}"
        if q["kind"] == "abbr":
            assert re.search(r"\b(?:[A-ZĐ]{2,}(?:&[A-ZĐ]+)*|[A-ZĐ]+&[A-ZĐ]+)\b", text), text
        if q["kind"] == "docnum":
            assert re.search(r"\b(36|64|189)\b", text), text


def test_succession(gold, paths):
    entries = gold.get("succession") or []
    assert len(entries) >= 5
    for e in entries:
        assert set(e) <= {"q", "items", "agency", "was"} and {"q", "items", "agency"} <= set(e), e
        assert e["items"] and len(set(e["items"])) == len(e["items"]), e
        for p in e["items"]:
            assert p in paths and p.startswith("III.") and "/" not in p, e


def test_succession_predecessors_named_in_their_items(gold, outline):
    _, texts = outline
    for e in gold.get("succession") or []:
        was = [_squash(w) for w in e.get("was") or []]
        for p in e["items"]:
            assert any(w in texts[p] for w in was), f"{p} names none of {was}"


def test_not_loaded(gold, paths, plan_text):
    entries = gold.get("not_loaded") or []
    assert len(entries) >= 3
    for e in entries:
        assert set(e) == {"q", "doc", "cites_item"}, e
        assert e["doc"] in KNOWN_DOCS - {"kh-ubnd-2024-cnsh"}, e
        assert e["cites_item"] in paths, e
    # the preamble is where the plan cites all three other documents
    preamble = _squash(plan_text.split("I. MỤC TIÊU")[0])
    for number in ("36-NQ/TW", "64-CTr/TU", "189/NQ-CP"):
        assert number in preamble
