"""studyapp: flashcards and essay practice for a course on security cooperation."""

__version__ = "0.1.0"
