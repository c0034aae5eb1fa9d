"""How a question finds clauses.

``query`` analyses the question, ``scope`` finds the documents it names, ``diacritics`` puts
back the marks of a question typed without them, ``lexical`` (BM25) and ``vector`` (Chroma or
exact cosine over ``embedders``) rank, and ``search`` fuses the two rankings.
"""
