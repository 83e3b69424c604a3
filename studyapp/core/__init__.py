"""The pure core: deck parsing, scheduling, grading and statistics.

Only the standard library, rapidfuzz and fsrs may be imported here: no Textual,
no SQLAlchemy, no file or database I/O beyond reading the deck text it is given.
"""
