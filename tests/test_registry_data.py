"""Integrity of the hand-edited registries: corpus/agencies.yaml and corpus/catalog.yaml.

These files are edited by people, not generated; the checks below are what a staff
member would notice if an edit went wrong: an agency of the plan that no longer
resolves, a successor that does not exist, a document linked to nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
AGENCIES = CORPUS / "agencies.yaml"
CATALOG = CORPUS / "catalog.yaml"
PLAN = CORPUS / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"

KINDS = {"so", "ubnd", "bo", "bao-dai", "truong", "co-quan-dang", "chinh-phu", "nhom", "khac"}
LEVELS = {"trung-uong", "tinh", "huyen", "xa"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Section III ("TỔ CHỨC THỰC HIỆN") sits on lines 70-131 of the plan (1-based).
SECTION_III = (70, 131)
# A numbered item heading: optional "·" bullet, "N.", the agency name. Bullets ("- …",
# "· Là cơ quan …") have no number and do not match.
HEADING = re.compile(r"^[\s·]*(\d{1,2})\.\s+(\S.*?)\s*$")

# What each heading of section III must resolve to (the plan's addressees).
EXPECTED_III = {
    1: ["so-khcn"],
    2: ["so-nnptnt"],
    3: ["so-cong-thuong"],
    4: ["so-khdt"],
    5: ["so-y-te"],
    6: ["so-tnmt"],
    7: ["so-tttt", "bao-binh-thuan", "dai-pt-th-binh-thuan"],
    8: ["so-tai-chinh"],
    9: ["so-noi-vu"],
    10: ["cac-truong-cd-dh"],
    11: ["cac-so-ban-nganh"],
    12: ["ubnd-cac-huyen"],
}


def key(name: str) -> str:
    """Matching key: NFC, casefolded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"
    return data


@pytest.fixture(scope="module")
def registry() -> dict:
    return load(AGENCIES)


@pytest.fixture(scope="module")
def agencies(registry) -> dict[str, dict]:
    return {a["id"]: a for a in registry["agencies"]}


@pytest.fixture(scope="module")
def alias_index(registry) -> dict[str, str]:
    """name/alias key -> agency id (the shared-alias test proves it is a function)."""
    index: dict[str, str] = {}
    for a in registry["agencies"]:
        for name in [a["name"], *(a.get("aliases") or [])]:
            index.setdefault(key(name), a["id"])
    return index


@pytest.fixture(scope="module")
def catalog() -> dict:
    return load(CATALOG)


@pytest.fixture(scope="module")
def documents(catalog) -> dict[str, dict]:
    return {d["id"]: d for d in catalog["documents"]}


def section_iii_headings() -> list[tuple[int, str]]:
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    first, last = SECTION_III
    assert lines[first - 1].startswith("III. TỔ CHỨC THỰC HIỆN"), "section III moved in the plan file"
    out = []
    for line in lines[first:last]:
        m = HEADING.match(unicodedata.normalize("NFC", line))
        if m:
            out.append((int(m.group(1)), m.group(2)))
    return out


def resolve_heading(heading: str, alias_index: dict[str, str]) -> list[str] | None:
    """The agencies a heading names: the whole heading, else each comma-separated part."""
    if key(heading) in alias_index:
        return [alias_index[key(heading)]]
    parts = [p for p in (s.strip() for s in heading.split(",")) if p]
    ids = [alias_index.get(key(p)) for p in parts]
    return None if None in ids else ids


# --- agencies.yaml -----------------------------------------------------------


def test_registry_top_level_keys(registry):
    assert isinstance(registry.get("agencies"), list) and registry["agencies"]
    assert isinstance(registry.get("succession"), list) and registry["succession"]
    assert isinstance(registry.get("notes", []), list)


def test_agency_ids_unique_and_slugs(registry):
    ids = [a["id"] for a in registry["agencies"]]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate agency ids: {sorted(dupes)}"
    bad = [i for i in ids if not SLUG.match(i)]
    assert not bad, f"agency ids must be ascii slugs: {bad}"


def test_agency_fields(registry):
    problems = []
    for a in registry["agencies"]:
        aid = a.get("id")
        if not isinstance(a.get("name"), str) or not a["name"].strip():
            problems.append(f"{aid}: no name")
        if a.get("kind") not in KINDS:
            problems.append(f"{aid}: kind {a.get('kind')!r} not in {sorted(KINDS)}")
        if a.get("level") not in LEVELS:
            problems.append(f"{aid}: level {a.get('level')!r} not in {sorted(LEVELS)}")
        if not isinstance(a.get("active"), bool):
            problems.append(f"{aid}: active must be true/false")
        aliases = a.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(x, str) and x.strip() for x in aliases):
            problems.append(f"{aid}: aliases must be a list of non-empty strings")
    assert not problems, "\n".join(problems)


def test_names_and_aliases_are_nfc(registry):
    bad = [
        f"{a['id']}: {s!r}"
        for a in registry["agencies"]
        for s in [a["name"], *(a.get("aliases") or [])]
        if not unicodedata.is_normalized("NFC", s)
    ]
    assert not bad, "not NFC:\n" + "\n".join(bad)


def test_aliases_not_shared_between_agencies(registry):
    owners: dict[str, set[str]] = defaultdict(set)
    for a in registry["agencies"]:
        for name in [a["name"], *(a.get("aliases") or [])]:
            owners[key(name)].add(a["id"])
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not shared, f"names/aliases used by more than one agency: {shared}"


def test_no_duplicate_aliases_within_an_agency(registry):
    problems = []
    for a in registry["agencies"]:
        keys = [key(x) for x in a.get("aliases") or []]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            problems.append(f"{a['id']}: {dupes}")
    assert not problems, "aliases repeated (case-insensitively): " + "; ".join(problems)


def test_succession_refers_to_existing_agencies(registry, agencies):
    missing = [
        f"{s.get('from')} -> {s.get('to')}: {end} {s.get(end)!r} unknown"
        for s in registry["succession"]
        for end in ("from", "to")
        if s.get(end) not in agencies
    ]
    assert not missing, "\n".join(missing)


def test_succession_entries_are_complete(registry):
    problems = []
    for s in registry["succession"]:
        tag = f"{s.get('from')} -> {s.get('to')}"
        try:
            dt.date.fromisoformat(str(s.get("date")))
        except ValueError:
            problems.append(f"{tag}: date {s.get('date')!r} is not an ISO date")
        if not str(s.get("source") or "").strip():
            problems.append(f"{tag}: no source")
        if not str(s.get("note") or "").strip():
            problems.append(f"{tag}: no note")
        if s.get("scope") not in {"full", "partial"}:
            problems.append(f"{tag}: scope must be full or partial")
        if s.get("from") == s.get("to"):
            problems.append(f"{tag}: an agency cannot succeed itself")
    assert not problems, "\n".join(problems)


def test_every_inactive_agency_has_an_active_successor(registry, agencies):
    """No dead ends: a task given to an abolished agency leads to someone who exists."""
    nxt: dict[str, list[str]] = defaultdict(list)
    for s in registry["succession"]:
        nxt[s["from"]].append(s["to"])
    for s in registry["succession"]:
        assert not agencies[s["from"]]["active"] or s["scope"] == "partial", (
            f"{s['from']} handed over everything but is still marked active"
        )
    for aid, a in agencies.items():
        if a["active"]:
            continue
        seen, todo, reached = set(), list(nxt[aid]), False
        while todo:
            cur = todo.pop()
            if cur in seen:
                continue
            seen.add(cur)
            reached |= agencies[cur]["active"]
            todo.extend(nxt[cur])
        assert reached, f"inactive agency {aid} has no active successor"


def test_nong_nghiep_va_moi_truong_inherits_both_predecessors(registry):
    preds = {s["from"] for s in registry["succession"] if s["to"] == "so-nn-mt"}
    assert preds == {"so-nnptnt", "so-tnmt"}


# --- the plan's section III against the registry --------------------------------


def test_plan_section_iii_has_twelve_items():
    assert [n for n, _ in section_iii_headings()] == list(range(1, 13))


@pytest.mark.parametrize("number", sorted(EXPECTED_III))
def test_plan_section_iii_heading_resolves(number, alias_index, agencies):
    heading = dict(section_iii_headings())[number]
    ids = resolve_heading(heading, alias_index)
    assert ids is not None, f"III.{number} {heading!r}: some agency in it matches no name or alias"
    assert ids == EXPECTED_III[number], f"III.{number} {heading!r} resolved to {ids}"
    assert all(i in agencies for i in ids)


def test_plan_spellings_of_key_agencies(alias_index):
    """Spellings the plan and staff actually use."""
    expect = {
        "Sở Công thương": "so-cong-thuong",
        "UBND tỉnh": "ubnd-tinh",
        "Ủy ban nhân dân tỉnh": "ubnd-tinh",
        "Uỷ ban nhân dân tỉnh": "ubnd-tinh",
        "UỶ BAN NHÂN DÂN TỈNH BÌNH THUẬN": "ubnd-tinh",
        "UBND các huyện, thành phố": "ubnd-cac-huyen",
        "UBND các huyện, thị xã, thành phố": "ubnd-cac-huyen",
        "Ban Thường vụ Tỉnh ủy": "ban-thuong-vu-tinh-uy",
        "Tỉnh ủy": "tinh-uy",
        "Bộ Chính trị": "bo-chinh-tri",
        "Chính phủ": "chinh-phu",
        "Sở KH&CN": "so-khcn",
        "sở khcn": "so-khcn",
        "NN&PTNT": "so-nnptnt",
        "TN&MT": "so-tnmt",
        "TT&TT": "so-tttt",
        "KH&ĐT": "so-khdt",
        "KHDT": "so-khdt",
        "NN&MT": "so-nn-mt",
        "VH,TT&DL": "so-vhttdl",
        "GD&ĐT": "so-gddt",
    }
    wrong = {s: alias_index.get(key(s)) for s, want in expect.items() if alias_index.get(key(s)) != want}
    assert not wrong, f"resolved wrongly or not at all: {wrong}"


# --- catalog.yaml ----------------------------------------------------------------


def test_catalog_ids_unique(catalog):
    ids = [d["id"] for d in catalog["documents"]]
    assert len(ids) == len(set(ids)), f"duplicate document ids: {ids}"
    assert all(SLUG.match(i) for i in ids), ids


def test_catalog_links_exist(documents):
    broken = [
        f"{d['id']}.{field} -> {target!r}"
        for d in documents.values()
        for field in ("implements", "cites")
        for target in d.get(field) or []
        if target not in documents or target == d["id"]
    ]
    assert not broken, "links to unknown documents: " + ", ".join(broken)


def test_catalog_issuers_are_registered_agencies(documents, agencies):
    bad = {d["id"]: d.get("issuer_agency") for d in documents.values() if d.get("issuer_agency") not in agencies}
    assert not bad, f"issuer_agency not in agencies.yaml: {bad}"


def test_exactly_one_document_has_a_file_and_it_exists(documents):
    with_file = [d for d in documents.values() if d.get("file")]
    assert len(with_file) == 1, [d["id"] for d in with_file]
    assert (CORPUS / with_file[0]["file"]).is_file(), with_file[0]["file"]


def test_catalog_dates_and_numbers(documents):
    for d in documents.values():
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(d.get("date"))), d["id"]
        if len(str(d["date"])) == 10:
            dt.date.fromisoformat(d["date"])
        assert isinstance(d.get("number_known"), bool), d["id"]
        assert ("…" in d["number"]) == (not d["number_known"]), d["id"]


def test_catalog_text_fields_are_nfc(documents):
    for d in documents.values():
        for field in ("issuer", "title", "short"):
            assert unicodedata.is_normalized("NFC", d[field]), (d["id"], field)


def test_plan_title_is_verbatim(documents):
    """The plan's title in the catalog is its title line, word for word (line 18)."""
    plan = documents["kh-ubnd-2024-cnsh"]
    lines = (CORPUS / plan["file"]).read_text(encoding="utf-8").splitlines()
    assert lines[16].strip() == "KẾ HOẠCH"
    assert plan["title"] == unicodedata.normalize("NFC", lines[17].strip())


def test_relations_as_designed(documents):
    assert set(documents["kh-ubnd-2024-cnsh"]["implements"]) == {"ctr-64-tu-2023", "nq-189-cp-2023"}
    assert documents["ctr-64-tu-2023"]["implements"] == ["nq-36-tw-2023"]
    assert documents["nq-189-cp-2023"]["implements"] == ["nq-36-tw-2023"]


def test_document_aliases_not_shared(documents):
    owners: dict[str, set[str]] = defaultdict(set)
    for d in documents.values():
        for a in [d["number"], *(d.get("aliases") or [])]:
            owners[key(a)].add(d["id"])
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not shared, shared
