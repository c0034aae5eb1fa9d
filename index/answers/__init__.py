"""What is made from the ranked clauses and the responsibility matrix.

``answer`` routes a question to the answer of its kind (``who``, ``tasks``, ``lookup``), built on the
clauses ``evidence`` ranks and the quotes ``quotes`` cuts, in the sentences of ``wording`` (optionally
reworded by ``phrase``); ``digest`` an
agency's tasks, ``calendar`` its dated duties, ``export`` the matrix as CSV/XLSX, ``crossref``
the links and clause alignments between documents, ``citation`` the official form of a clause's
citation ("khoản 8 Mục III Kế hoạch số …"), ``suggest`` what to offer while a name is typed.
"""
