"""Confusion pairs for the service: spot them as answers are typed, list them, drill them side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studyapp.core.confusions import AnswerIndex, ConfusionPair, find_confusion, rank_pairs
from studyapp.core.models import AnswerResult, Card

if TYPE_CHECKING:
    from studyapp.service import StudyService
    from studyapp.session import Session

CardKey = tuple[str, str]


class Confusions:
    def __init__(self, service: StudyService):
        self.service = service
        self._index: AnswerIndex | None = None

    @property
    def index(self) -> AnswerIndex:
        """Every card by the names and numbers of its answers, built on the first wrong typed answer
        (the decks do not change while the app runs)."""
        if self._index is None:
            self._index = AnswerIndex.of(c for d in self.service.decks.decks for c in d.cards)
        return self._index

    def detect(self, card: Card, typed: str, result: AnswerResult) -> Card | None:
        """The card whose answer `typed` was, when it is wrong for `card` (see core.confusions)."""
        if result.correct or not typed.strip():
            return None
        return find_confusion(card, typed, result, self.index)

    def pairs(self, limit: int | None = None) -> list[ConfusionPair]:
        """The pairs most confused first (either way round), cards still in a loaded deck only."""
        decks = self.service.decks
        ranked = rank_pairs(self.service.repo.confusions(), lambda key: decks.has_card(*key))
        return ranked[:limit] if limit is not None else ranked

    def start_pair_drill(self, pair: ConfusionPair) -> Session:
        """The two cards in a row; after each is revealed, the other's answer is shown beside it."""
        session = self.service.sessions.drill([pair.first, pair.second])
        session.contrasts = {pair.first: pair.second, pair.second: pair.first}
        session.title = "Side by side"
        return session
