"""``tracuu ingest`` as a records officer runs it: a corpus folder with the plan and two bad
files, then re-runs after nothing changed, after an edit, and after the bad files are removed.

Real indexes, real subprocesses, no mocks; the embedder is the hashing one of
``tests/hashing_cli.py``: what is embedded, reused and reported does not depend on what the
vectors mean, and the plan's 64 clauses are not seconds of e5 in each first run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from index.build.store import load_document
from tests.bench.hashing import HashEmbedder
from tests.hashing_cli import command

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
PLAN = "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"
BAD = {"fixture-hong.docx": "bị hỏng", "fixture-rong.txt": "empty document"}
SUMMARY = re.compile(
    r"^Tổng: (?P<docs>\d+) văn bản, (?P<clauses>\d+) điều khoản; nhúng (?P<embedded>\d+), "
    r"dùng lại (?P<reused>\d+); (?P<failed>\d+) tệp lỗi; (?P<what>.*)$",
    re.MULTILINE,
)
ADDED_LINE = "- Dòng thêm vào bản sao để kiểm thử nạp lại (không có trong văn bản gốc)."


def ingest(tmp: Path) -> tuple[subprocess.CompletedProcess, dict, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACUU_")}  # defaults for the rest
    env.update(
        TRACUU_DATA_DIR=str(tmp / "data"),
        TRACUU_CORPUS_DIR=str(tmp / "corpus"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
    )
    t0 = time.perf_counter()
    proc = subprocess.run(
        command(hashing=True) + ["ingest"],
        cwd=tmp, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    seconds = time.perf_counter() - t0
    m = SUMMARY.search(proc.stdout)
    assert m, f"no summary line in:\n{proc.stdout}\n{proc.stderr[-2000:]}"
    summary = {k: (int(v) if v.isdigit() else v) for k, v in m.groupdict().items()}
    return proc, summary, seconds


def manifest(tmp: Path) -> dict:
    return json.loads((tmp / "data" / "manifest.json").read_text(encoding="utf-8"))


def file_line(stdout: str, name: str) -> str:
    lines = [ln for ln in stdout.splitlines() if ln.split(" ", 1)[-1].startswith(name)]
    assert len(lines) == 1, stdout
    return lines[0]


def test_ingest_reports_failures_and_reindexes_incrementally(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (PLAN, "catalog.yaml", "agencies.yaml"):
        shutil.copy(CORPUS / name, corpus / name)
    for name in BAD:
        shutil.copy(FIXTURES / name, corpus / name)

    # 1. First run: the plan is indexed; the two bad files are named with their reasons.
    first, s1, t1 = ingest(tmp_path)
    assert first.returncode != 0, first.stdout
    assert (s1["docs"], s1["clauses"], s1["failed"]) == (1, 64, 2), first.stdout
    assert s1["embedded"] == 64 and s1["reused"] == 0
    assert "thế hệ chỉ mục mới" in s1["what"]
    assert file_line(first.stdout, PLAN).startswith("+ ")
    assert "kh-ubnd-2024-cnsh (64 điều khoản)" in file_line(first.stdout, PLAN)
    for name, reason in BAD.items():
        line = file_line(first.stdout, name)
        assert line.startswith("✗ ") and reason in line, line
    m1 = manifest(tmp_path)
    assert m1["embedder"] == HashEmbedder.name
    assert set(m1["documents"]) == {"kh-ubnd-2024-cnsh"}
    assert m1["documents"]["kh-ubnd-2024-cnsh"]["clauses"] == 64
    indexed = load_document(tmp_path / "data", m1["generation"], "kh-ubnd-2024-cnsh")
    assert indexed.clause("III.8").heading == "Sở Tài chính"

    # 2. Nothing changed: nothing is embedded and the generation in service stays.
    second, s2, t2 = ingest(tmp_path)
    assert second.returncode != 0  # the bad files are still there and still reported
    assert s2["embedded"] == 0 and "nhúng 0" in second.stdout
    assert "không có gì thay đổi" in s2["what"]
    assert (s2["docs"], s2["clauses"], s2["failed"]) == (1, 64, 2)
    assert file_line(second.stdout, PLAN).startswith("= ")
    assert manifest(tmp_path)["generation"] == m1["generation"]

    # 3. One bullet appended to the plan: only the new or changed clauses are embedded.
    plan = corpus / PLAN
    plan.write_bytes(plan.read_bytes().rstrip() + b"\n" + ADDED_LINE.encode("utf-8") + b"\n")
    third, s3, t3 = ingest(tmp_path)
    assert third.returncode != 0
    assert file_line(third.stdout, PLAN).startswith("~ ")
    assert s3["clauses"] == 65
    assert 1 <= s3["embedded"] <= 3, third.stdout
    assert s3["reused"] >= 62
    m3 = manifest(tmp_path)
    assert m3["generation"] != m1["generation"]
    updated = load_document(tmp_path / "data", m3["generation"], "kh-ubnd-2024-cnsh")
    assert updated.clause("III.12/3").text == ADDED_LINE

    # 4. The bad files are removed: a clean run, nothing left to do.
    for name in BAD:
        (corpus / name).unlink()
    fourth, s4, t4 = ingest(tmp_path)
    assert fourth.returncode == 0, fourth.stdout
    assert s4["failed"] == 0 and s4["embedded"] == 0
    assert (s4["docs"], s4["clauses"]) == (1, 65)
    assert manifest(tmp_path)["generation"] == m3["generation"]
    for name in BAD:
        assert name not in fourth.stdout

    print(f"\ningest runs: first {t1:.1f} s, unchanged {t2:.1f} s, one bullet added {t3:.1f} s (nhúng {s3['embedded']}), "
          f"clean {t4:.1f} s")
