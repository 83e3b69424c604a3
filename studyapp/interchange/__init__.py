"""Cards in and out of studyapp: Anki packages (.apkg), Anki-shaped CSV, and the user decks they become.

notes.py is the pure part (cards to note fields and back, HTML to text, cloze gaps, which review-log
rows are real reviews, deck TOML); apkg.py reads and writes packages; csv_format.py reads and writes
CSV; importing.py puts what was read into the data folder (a deck file, and the review history
replayed into FSRS state).
"""
