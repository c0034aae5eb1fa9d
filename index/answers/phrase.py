"""Optional generative phrasing of an extractive answer through an OpenAI-compatible endpoint.

Off unless ``TRACUU_LLM_BASE_URL`` is set. The model only rewords: it gets the extractive
answer and the numbered quotes, and its text is kept only if every ``[n]`` it cites exists
and every agency it names is named in the quotes. Otherwise the extractive answer stands,
with a note saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from index.agencies import Registry
from index.answers.answer import Answer
from ingest.normalize import fold

_PROMPT = (
    "Bạn viết lại câu trả lời cho cán bộ nhà nước, bằng tiếng Việt, tối đa ba câu. Chỉ dùng thông tin trong "
    "các trích dẫn đánh số dưới đây; ghi nguồn bằng [số]. Không nêu cơ quan nào không có trong trích dẫn."
)


@dataclass
class Phraser:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 30.0

    def __call__(self, answer: Answer, registry: Registry) -> Answer:
        if not answer.citations or not answer.supported:
            return answer
        quotes = "\n".join(f"[{i}] {c.heading + ': ' if c.heading else ''}{c.quote}" for i, c in enumerate(answer.citations, 1))
        messages = [
            {"role": "system", "content": _PROMPT},
            {"role": "user", "content": f"Câu hỏi: {answer.question}\nCâu trả lời trích xuất: {answer.text}\n\n{quotes}"},
        ]
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            r = httpx.post(f"{self.base_url.rstrip('/')}/chat/completions", headers=headers, timeout=self.timeout,
                           json={"model": self.model, "messages": messages, "temperature": 0})
            r.raise_for_status()
            text = r.json()["choices"][0]["message"]["content"].strip()
        except (httpx.HTTPError, KeyError, IndexError, ValueError) as e:
            answer.notes.append(f"Không dùng được mô hình diễn đạt ({type(e).__name__}); giữ câu trả lời trích xuất.")
            return answer
        problem = check(text, answer, registry)
        if problem:
            answer.notes.append(f"Bỏ bản diễn đạt của mô hình: {problem}.")
            return answer
        answer.notes.append("Câu trả lời do mô hình diễn đạt lại từ các trích dẫn; đã kiểm tra nguồn.")
        answer.text = text
        return answer


def check(text: str, answer: Answer, registry: Registry) -> str | None:
    """Why a generated text cannot be shown, or None when it is backed by the citations."""
    refs = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    if not refs:
        return "không ghi nguồn"
    if not refs <= set(range(1, len(answer.citations) + 1)):
        return "dẫn nguồn không có"
    cited = " ".join(fold(c.quote + " " + c.heading) for c in answer.citations)
    for agency, _, _ in registry.find(text):
        names = [agency.name, *agency.aliases]
        if not any(fold(n) in cited for n in names):
            return f"nêu {agency.name}, cơ quan không có trong trích dẫn"
    return None
