"""What is made from the ranked clauses and the responsibility matrix.

``answer`` composes the extractive answer (optionally worded by ``phrase``), ``digest`` an
agency's tasks, ``calendar`` its dated duties, ``export`` the matrix as CSV/XLSX, ``crossref``
the links and clause alignments between documents, ``citation`` the official form of a clause's
citation ("khoản 8 Mục III Kế hoạch số …"), ``suggest`` what to offer while a name is typed.
"""
