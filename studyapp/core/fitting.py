"""A schedule fitted to the student: FSRS parameters fitted to their own review log with fsrs-rs.

The log becomes fsrs-rs's training items as Anki makes them: each card's answers in time order, with
the whole study days between them; every answer on a later day than the one before is an item (the
history up to it, the answer to predict). fsrs-rs fits the whole model from MIN_ITEMS such items
(below 8 it returns its defaults, below 64 it fits only the four first-answer stabilities), so below
that nothing is fitted and the student is told how many more are needed.

As in Anki, the fitted parameters are adopted only when they predict the student's own answers
better than the current ones do: a lower log loss over the same items. RMSE (binned, as Anki shows
it) is reported beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from studyapp.core.models import Review

MIN_ITEMS = 64  # fsrs-rs's threshold for fitting more than the initial stabilities


@dataclass(frozen=True)
class Evaluation:
    log_loss: float
    rmse: float

    def to_json(self) -> dict:
        return {"log_loss": round(self.log_loss, 5), "rmse": round(self.rmse, 5)}


@dataclass(frozen=True)
class FitResult:
    reviews: int  # answers in the log that count (practice left out)
    items: int  # of those, answers on a later day than the card's previous one: what is fitted
    needed: int  # more such answers needed before a fit; 0 once there are enough
    current_parameters: tuple[float, ...]
    current: Evaluation | None = None
    fitted_parameters: tuple[float, ...] | None = None
    fitted: Evaluation | None = None

    @property
    def better(self) -> bool:
        """Anki's rule: the fitted parameters win only on a strictly lower log loss."""
        return (self.fitted is not None and self.current is not None
                and self.fitted.log_loss < self.current.log_loss)

    def to_json(self, adopted: bool) -> dict:
        return {
            "reviews": self.reviews, "items": self.items, "minimum_items": MIN_ITEMS, "needed": self.needed,
            "current": {"parameters": list(self.current_parameters),
                        **(self.current.to_json() if self.current else {})},
            "fitted": None if self.fitted_parameters is None else {
                "parameters": list(self.fitted_parameters), **(self.fitted.to_json() if self.fitted else {})},
            "adopted": adopted,
        }


CardHistory = list[tuple[date, int]]  # (study day, rating) in time order


def histories(reviews: Iterable[Review], day_of: Callable[[datetime], date]) -> dict[tuple[str, str], CardHistory]:
    """Each card's scheduled answers (practice left out) in time order, by study day."""
    out: dict[tuple[str, str], list[tuple[datetime, date, int]]] = defaultdict(list)
    for r in reviews:
        if r.mode != "practice":
            out[(r.deck_id, r.card_id)].append((r.reviewed_at, day_of(r.reviewed_at), int(r.rating)))
    return {key: [(day, rating) for _, day, rating in sorted(rows)] for key, rows in out.items()}


def item_reviews(histories: Iterable[CardHistory]) -> list[list[tuple[int, int]]]:
    """For each answer on a later day than the card's previous answer, the history up to it as
    (rating, whole days since the answer before) pairs: what fsrs-rs is trained on."""
    items = []
    for history in histories:
        reviews: list[tuple[int, int]] = []
        previous: date | None = None
        for day, rating in history:
            delta = 0 if previous is None else (day - previous).days
            reviews.append((rating, delta))
            if delta > 0:
                items.append(list(reviews))
            previous = day
    return items


def training_items(histories: Iterable[CardHistory]) -> list:
    """`item_reviews` as fsrs-rs items."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    return [FSRSItem([FSRSReview(rating, delta) for rating, delta in item]) for item in item_reviews(histories)]


def evaluate(parameters: Sequence[float], items: Sequence) -> Evaluation:
    from fsrs_rs_python import FSRS

    result = FSRS(list(parameters)).evaluate(list(items))
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


def within_bounds(parameters: Sequence[float]) -> tuple[float, ...]:
    """The parameters clipped to py-fsrs's bounds: fsrs-rs works in float32, and a value a rounding
    below a bound would make fsrs.Scheduler refuse the whole set."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    return tuple(min(max(float(x), low), high)
                 for x, low, high in zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS))


def fit(items: Sequence, current: Sequence[float], reviews: int) -> FitResult:
    """Fit parameters to `items` and evaluate them and `current` on the same items (slow: seconds)."""
    from fsrs_rs_python import FSRS

    current = tuple(float(x) for x in current)
    if len(items) < MIN_ITEMS:
        return FitResult(reviews, len(items), MIN_ITEMS - len(items), current)
    fitted = within_bounds(FSRS(list(current)).compute_parameters(list(items)))
    return FitResult(reviews, len(items), 0, current, evaluate(current, items), fitted, evaluate(fitted, items))
