"""Progress in SQLite: SQLModel tables, migrations and the repository.

Imported off the path to the first frame (SQLAlchemy and SQLModel take ~350 ms to import).
"""
