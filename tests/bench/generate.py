"""Seeded synthetic corpora in the format of a provincial plan, for scale benchmarks.

Each generated document is a "Kế hoạch" with a header, a preamble, Roman sections,
numbered items and bullets, built from phrase lists. The text is meaningless on
purpose (it must never be mistaken for a directive) and says so in its first line.
"""

from __future__ import annotations

import random
from pathlib import Path

AGENCIES = ["Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Y tế", "Sở Nội vụ", "Sở Công Thương", "Sở Xây dựng",
            "Sở Nông nghiệp và Môi trường", "Sở Giáo dục và Đào tạo", "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch"]
VERBS = ["chủ trì", "phối hợp với các cơ quan liên quan", "tham mưu UBND tỉnh", "tổ chức", "rà soát", "hướng dẫn",
         "đôn đốc", "theo dõi", "triển khai", "đề xuất", "xây dựng", "hỗ trợ", "kiểm tra", "tổng hợp, báo cáo"]
OBJECTS = ["chương trình chuyển đổi số", "đề án phát triển nguồn nhân lực", "kế hoạch cải cách hành chính",
           "cơ sở dữ liệu dùng chung", "mạng lưới y tế cơ sở", "hạ tầng giao thông nông thôn", "quỹ phát triển khoa học",
           "chính sách thu hút đầu tư", "hệ thống quản lý chất lượng", "mô hình sản xuất an toàn", "dịch vụ công trực tuyến",
           "công tác phòng, chống thiên tai", "thư viện điện tử", "trung tâm ươm tạo doanh nghiệp", "vùng nguyên liệu tập trung"]
TAILS = ["trên địa bàn tỉnh", "theo quy định", "định kỳ hằng năm", "trong giai đoạn 2026–2030", "bảo đảm hiệu quả",
         "gắn với nhu cầu thực tiễn", "báo cáo kết quả vào tháng 12 hằng năm", "phù hợp với điều kiện ngân sách"]
ROMANS = ["I", "II", "III", "IV", "V", "VI"]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} {rng.choice(TAILS)}; {rng.choice(VERBS)} {rng.choice(OBJECTS)}."


def document(rng: random.Random, n: int, clauses: int) -> tuple[str, int]:
    lines = ["TÀI LIỆU TỔNG HỢP DÙNG CHO ĐO HIỆU NĂNG – không phải văn bản thật", "ỦY BAN NHÂN DÂN", "TỈNH MẪU",
             f"Số: {n}/KH-UBND", "Tỉnh Mẫu, ngày 1 tháng 1 năm 2099", "", "KẾ HOẠCH",
             f"Kế hoạch tổng hợp số {n} (dữ liệu sinh tự động)", "", sentence(rng)]
    made = 1
    for r in ROMANS:
        if made >= clauses:
            break
        lines.append(f"{r}. {rng.choice(OBJECTS).upper()}")
        made += 1
        for i in range(1, 13):
            if made >= clauses:
                break
            head = rng.choice(AGENCIES) if r == "III" else rng.choice(OBJECTS).capitalize()
            lines.append(f"{i}. {head}")
            made += 1
            for _ in range(rng.randint(1, 5)):
                if made >= clauses:
                    break
                lines.append(f"- {sentence(rng)}")
                made += 1
    return "\n".join(lines) + "\n", made


def generate(folder: Path, total: int, per_doc: int = 200, seed: int = 20240401) -> int:
    """Write documents holding about ``total`` clauses into ``folder``; return the count."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made, n = 0, 0
    while made < total:
        n += 1
        text, k = document(rng, n, min(per_doc, total - made + 1))
        (folder / f"tong-hop-{n:05d}.txt").write_text(text, encoding="utf-8")
        made += k
    return made
