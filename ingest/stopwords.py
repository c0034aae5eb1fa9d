"""Words too common to tell one text from another: one base list, and the set each use takes from it.

The base list is written with its marks, in groups by what the words are. Each use below
names its set and what it is for; a set compared with folded text (``ingest.normalize.fold``)
is folded here, once. Where a use leaves out words of a group, the exception is written
beside it: those sets were tuned apart, and a change to one moves that use's results.

>>> "va" in BIGRAM and "cua" in BIGRAM and "kinh" not in BIGRAM
True
>>> "để" in TITLE, "de" in TITLE_FOLDED  # "để" folded is "de", as "đề" (án) is
(True, False)
"""

from __future__ import annotations

from ingest.normalize import fold

# Function words: conjunctions, prepositions, particles, the plural and demonstrative words.
FUNCTION = frozenset("và của các những là có được để với trong cho tại về theo này do thì mà một như ở từ đến".split())
# What a question asks with.
QUESTION = frozenset("ai nào gì khi không thế cần bao nhiêu hay hoặc phải làm việc".split())
# What a task says of its agencies ("chủ trì", "phối hợp", "cơ quan", "Sở", "ngành", "giao trách nhiệm").
TASK = frozenset("nhiệm vụ chủ trì phối hợp cơ quan đơn vị bộ sở ngành giao trách".split())
# What every directive's title writes ("Kế hoạch thực hiện Nghị quyết số … của Chính phủ").
TITLE_WORDS = frozenset("thực hiện triển khai nghị quyết quyết định kế hoạch chương trình hành động ban hành phê duyệt "
                        "số chính phủ chính trị tỉnh".split())
# English question and function words (questions asked in English).
ENGLISH = frozenset("what who which does do must should of the and".split())


def folded_set(words) -> frozenset[str]:
    """The words as folded text writes them."""
    return frozenset(fold(w) for w in words)


# ``ingest.tokens`` and ``index.answers.crossref``: a pair of two of these is no bigram term
# ("của các"), and crossref's task terms skip them.
BIGRAM = folded_set(FUNCTION)

# ``index.retrieval.scope``: words a question shares with a document's title that are no sign
# of that document, with marks (a question written with them) and folded (one without).
TITLE = FUNCTION | (QUESTION - {"không", "thế", "cần", "bao", "nhiêu", "hay", "hoặc"}) \
    | (TASK - {"ngành", "giao", "trách"}) | TITLE_WORDS
TITLE_FOLDED = folded_set(TITLE) - {"de"}  # "để", folded, is "đề" (án) too

# ``index.answers.who``: what two task clauses share that does not make them the same task.
SAME_TASK = folded_set((FUNCTION - {"tại", "này", "do", "mà", "một", "như", "ở", "từ", "đến"})
                       | (QUESTION - {"khi", "hay", "hoặc"}) | TASK)

# ``service.web``: query words not highlighted on their own, nor as a pair of two of them.
HIGHLIGHT = folded_set((FUNCTION - {"mà"}) | (QUESTION - {"khi", "cần", "bao", "nhiêu", "việc"}) | {"số"}) | ENGLISH
