"""Statistics over reviews and progress: plain functions, no I/O.

The screens never scan the review log. Each answer updates two aggregates in its own
transaction: the card's progress (reps, lapses, stability, due ...) and a per-day tally
of answers per (study day, deck, facet). Everything here is computed from those two.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from studyapp.core.models import FACETS, Card, CardProgress, Deck, LearnState, Rating, Review
from studyapp.core.scheduling import ForgettingCurve, ScheduleSettings

MATURE_DAYS = 21.0  # as Anki: a card whose stability reaches 21 days is mature
RECENT_DAYS = 30  # the weak-topics screen's recall window
HEAT_MAP_DAYS = 182  # six months of reviews per day
FORECAST_DAYS = 30
RECALL_WEEKS = 26

CardKey = tuple[str, str]
TopicKey = tuple[str, str | None]  # (deck id, facet); facet None for the whole deck


def recall(reviews: Iterable[Review]) -> float | None:
    """Share of answers not rated Again (practice answers excluded); None with no answers."""
    total = again = 0
    for r in reviews:
        if r.mode == "practice":
            continue
        total += 1
        again += r.rating is Rating.AGAIN
    return (total - again) / total if total else None


# --- the per-day tally ----------------------------------------------------------------------
@dataclass(frozen=True)
class DayTally:
    """Answers on one study day to the cards of one deck and facet (a row of the `review_tally` table)."""

    day: date
    deck_id: str
    facet: str
    reviews: int = 0  # scheduled answers (practice excluded)
    again: int = 0  # of those, rated Again
    practice: int = 0  # practice answers, which leave the schedule alone

    @property
    def answers(self) -> int:
        return self.reviews + self.practice


def tally_delta(review: Review) -> tuple[int, int, int]:
    """What one answer adds to its day's tally: (reviews, again, practice)."""
    if review.mode == "practice":
        return 0, 0, 1
    return 1, int(review.rating is Rating.AGAIN), 0


def tallies_from_reviews(reviews: Iterable[Review], day_of: Callable[[datetime], date],
                         facet_of: Callable[[str, str], str]) -> list[DayTally]:
    """The tallies a review log adds up to (to fill the table once for an old database, and in tests)."""
    sums: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in reviews:
        row = sums[(day_of(r.reviewed_at), r.deck_id, facet_of(r.deck_id, r.card_id))]
        for i, n in enumerate(tally_delta(r)):
            row[i] += n
    return [DayTally(day, deck, facet, *counts) for (day, deck, facet), counts in sorted(sums.items())]


def recall_of(tallies: Iterable[DayTally]) -> float | None:
    """Share of scheduled answers not rated Again; None with none."""
    reviews = again = 0
    for t in tallies:
        reviews += t.reviews
        again += t.again
    return (reviews - again) / reviews if reviews else None


def answers_per_day(tallies: Iterable[DayTally], today: date, days: int = HEAT_MAP_DAYS) -> list[tuple[date, int]]:
    """Every day of the last `days` (oldest first, ending today) with its number of answers."""
    first = today - timedelta(days=days - 1)
    counts: dict[date, int] = defaultdict(int)
    for t in tallies:
        if first <= t.day <= today:
            counts[t.day] += t.answers
    return [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(days)]


@dataclass(frozen=True)
class WeekRecall:
    start: date  # the Monday
    reviews: int
    recall: float | None


def recall_by_week(tallies: Iterable[DayTally], today: date, weeks: int = RECALL_WEEKS) -> list[WeekRecall]:
    """Recall in each of the last `weeks` calendar weeks (Monday to Sunday), oldest first."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    sums: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for t in tallies:
        if first <= t.day <= today:
            week = t.day - timedelta(days=t.day.weekday())
            sums[week][0] += t.reviews
            sums[week][1] += t.again
    out = []
    for i in range(weeks):
        start = first + timedelta(weeks=i)
        reviews, again = sums.get(start, (0, 0))
        out.append(WeekRecall(start, reviews, (reviews - again) / reviews if reviews else None))
    return out


# --- from the cards' progress ---------------------------------------------------------------
def due_forecast(progress: Iterable[CardProgress], day_start: datetime, days: int = FORECAST_DAYS) -> list[int]:
    """Cards due on each of the next `days` study days; today's count includes every overdue card.

    `day_start` is when today's study day began. Leeches are left out: they wait for a reset.
    """
    counts = [0] * days
    new_state = LearnState.NEW
    for p in progress:
        due = p.due
        if due is None or p.leech or p.state is new_state:
            continue
        index = (due - day_start).days  # whole days, rounded down (negative when overdue)
        if index < days:
            counts[index if index > 0 else 0] += 1
    return counts


@dataclass(frozen=True)
class DeckMaturity:
    deck_id: str
    title: str
    mature: int  # stability of 21 days or more
    young: int  # answered, stability under 21 days
    new: int  # never answered

    @property
    def total(self) -> int:
        return self.mature + self.young + self.new


def maturity(decks: Sequence[Deck], progress: Mapping[CardKey, CardProgress],
             layout: TopicLayout | None = None) -> list[DeckMaturity]:
    """Per deck: cards mature, young and new (one pass over the studied cards)."""
    layout = layout or topic_layout(decks)
    counts: dict[str, list[int]] = {deck.id: [0, 0] for deck in decks}
    card_facets, new_state = layout.card_facets, LearnState.NEW
    for (deck_id, card_id), p in progress.items():
        in_deck = card_facets.get(deck_id)
        if p.state is new_state or in_deck is None or card_id not in in_deck:
            continue  # never answered, or no longer in a loaded deck
        counts[deck_id][0 if (p.stability or 0.0) >= MATURE_DAYS else 1] += 1
    return [DeckMaturity(deck.id, deck.title, mature, young, layout.sizes[(deck.id, None)] - mature - young)
            for deck in decks for mature, young in [counts[deck.id]]]


def predicted_recall(cards: Iterable[CardKey], progress: Mapping[CardKey, CardProgress], at: datetime,
                     curve: ForgettingCurve) -> float | None:
    """Mean predicted retrievability of the cards keyed in `cards` at `at` if no more study happened;
    new cards count 0."""
    total = 0.0
    n = 0
    for key in cards:
        n += 1
        p = progress.get(key)
        if p is not None:
            total += curve.at(p, at)
    return total / n if n else None


# --- weak topics ----------------------------------------------------------------------------
@dataclass(frozen=True)
class TopicStats:
    deck_id: str
    facet: str | None  # None: the deck as a whole
    title: str
    cards: int
    studied: int  # cards answered at least once
    recall: float | None  # share of answers not Again over the last RECENT_DAYS days
    retrievability: float | None  # mean over the studied cards, now
    lapses: int
    leeches: int
    essay_coverage: float | None  # the latest essay outlines' share of points covered; None without any
    # The share of its cards recalled unprompted in the latest brain dump asking for each; None without any.
    free_recall: float | None = None

    @property
    def key(self) -> TopicKey:
        return (self.deck_id, self.facet)

    @property
    def strength(self) -> float | None:
        """The mean of the signals this topic has: recent recall, retrievability now, essay coverage, and
        free recall (a brain dump: recall without a cue, the strongest evidence there is)."""
        signals = [s for s in (self.recall, self.retrievability, self.essay_coverage, self.free_recall)
                   if s is not None]
        return sum(signals) / len(signals) if signals else None


def weakness_key(topic: TopicStats) -> tuple:
    """The ranking rule (see the README): weakest strength first; ties go to more leeches, then more
    lapses; topics with nothing studied yet come last, in the order given."""
    strength = topic.strength
    if topic.studied == 0 or strength is None:
        return (1, 0.0, 0, 0)
    return (0, strength, -topic.leeches, -topic.lapses)


def rank_topics(topics: Iterable[TopicStats]) -> list[TopicStats]:
    """Topics weakest first (a stable sort, so equal topics keep the order given)."""
    return sorted(topics, key=weakness_key)


@dataclass(frozen=True)
class WeakDeck:
    """A deck as a topic, with its facets as sub-topics, each list ranked weakest first."""

    deck: TopicStats
    facets: tuple[TopicStats, ...]


@dataclass(frozen=True)
class TopicLayout:
    """Which facet each card is in and how many cards each topic has: fixed while the decks are loaded."""

    # deck id -> card id -> facet. Keyed by the id strings, not (deck, card) tuples: 100,000 tuples
    # made after start-up would be 100,000 more objects for every full garbage collection to scan.
    card_facets: dict[str, dict[str, str]]
    facets: dict[str, tuple[str, ...]]  # deck id -> its facets, in FACETS order
    sizes: dict[TopicKey, int]

    def facet(self, deck_id: str, card_id: str) -> str | None:
        """The card's facet; None when no loaded deck has the card."""
        in_deck = self.card_facets.get(deck_id)
        return None if in_deck is None else in_deck.get(card_id)


def topic_layout(decks: Sequence[Deck]) -> TopicLayout:
    card_facets: dict[str, dict[str, str]] = {}
    sizes: dict[TopicKey, int] = {}
    facets: dict[str, tuple[str, ...]] = {}
    for deck in decks:
        in_deck = card_facets[deck.id] = dict(deck.card_facets())
        for facet, n in Counter(in_deck.values()).items():
            sizes[(deck.id, facet)] = n
        sizes[(deck.id, None)] = len(in_deck)
        facets[deck.id] = tuple(f for f in FACETS if (deck.id, f) in sizes)
    return TopicLayout(card_facets, facets, sizes)


def weak_topics(decks: Sequence[Deck], progress: Mapping[CardKey, CardProgress], recent: Iterable[DayTally],
                now: datetime, curve: ForgettingCurve,
                essay_coverage: Mapping[TopicKey, float] | None = None,
                layout: TopicLayout | None = None,
                free_recall: Mapping[TopicKey, float] | None = None) -> list[WeakDeck]:
    """Every deck and, within it, every facet, with their numbers, ranked weakest first.

    `recent` holds the tallies of the last RECENT_DAYS days; `essay_coverage` the latest essay
    coverage per topic where essays have been outlined; `layout` is `topic_layout(decks)`, which
    a caller asking often can keep; `free_recall` the share of each topic's cards recalled in brain
    dumps (core.free_recall.free_recall_by_topic).
    """
    layout = layout or topic_layout(decks)
    coverage = essay_coverage or {}
    unprompted = free_recall or {}
    recent_by_topic: dict[TopicKey, list[int]] = defaultdict(lambda: [0, 0])
    for t in recent:
        for key in ((t.deck_id, t.facet), (t.deck_id, None)):
            recent_by_topic[key][0] += t.reviews
            recent_by_topic[key][1] += t.again

    # One pass over the studied cards (not every card): [studied, R sum, lapses, leeches] per topic.
    # This loop is most of the weak-topics screen's opening time on 100,000 cards, so it is
    # written for speed: the retrievability is ForgettingCurve.at's formula, inlined (a test checks
    # the two agree).
    sums: dict[TopicKey, list] = {}
    card_facets, new_state = layout.card_facets, LearnState.NEW
    factor, decay = curve.factor, curve.decay
    deck_now: str | None = None  # progress comes mostly grouped by deck: look each deck up once a run
    in_deck: dict[str, str] | None = None
    deck_rows: dict[str, list] = {}
    for (deck_id, card_id), p in progress.items():
        if p.state is new_state:
            continue  # never answered
        if deck_id != deck_now:
            deck_now, in_deck = deck_id, card_facets.get(deck_id)
            deck_rows = {}
        facet = None if in_deck is None else in_deck.get(card_id)
        if facet is None:
            continue  # no longer in a loaded deck
        row = deck_rows.get(facet)
        if row is None:
            row = sums.get((deck_id, facet))
            if row is None:
                row = sums[(deck_id, facet)] = [0, 0.0, 0, 0]
            deck_rows[facet] = row
        row[0] += 1
        stability, last = p.stability, p.last_review
        if stability and last is not None:
            elapsed = (now - last).days
            row[1] += (1 + factor * (elapsed if elapsed > 0 else 0) / stability) ** decay  # = curve.at(p, now)
        row[2] += p.lapses
        row[3] += p.leech

    out = []
    for deck in decks:
        facet_rows = [sums.get((deck.id, f), [0, 0.0, 0, 0]) for f in layout.facets[deck.id]]
        sums[(deck.id, None)] = [sum(column) for column in zip(*facet_rows)] if facet_rows else [0, 0.0, 0, 0]

        def topic(facet: str | None, deck: Deck = deck) -> TopicStats:
            studied, r_sum, lapses, leech_count = sums.get((deck.id, facet), (0, 0.0, 0, 0))
            reviews, again = recent_by_topic.get((deck.id, facet), (0, 0))
            return TopicStats(deck.id, facet, deck.title if facet is None else facet,
                              layout.sizes.get((deck.id, facet), 0), studied,
                              (reviews - again) / reviews if reviews else None,
                              r_sum / studied if studied else None, lapses, leech_count,
                              coverage.get((deck.id, facet)), unprompted.get((deck.id, facet)))

        out.append(WeakDeck(topic(None), tuple(rank_topics(topic(f) for f in layout.facets[deck.id]))))
    return sorted(out, key=lambda w: weakness_key(w.deck))


def leeches(decks: Sequence[Deck], progress: Mapping[CardKey, CardProgress]) -> list[tuple[Card, CardProgress]]:
    """Every leech of a loaded deck, most lapses first."""
    flagged = {key: p for key, p in progress.items() if p.leech}
    if not flagged:
        return []
    found = [(card, flagged[card.key]) for deck in decks if any(k[0] == deck.id for k in flagged)
             for card in deck.cards if card.key in flagged]
    return sorted(found, key=lambda cp: (-cp[1].lapses, cp[0].deck_id, cp[0].id))


ESSAY_STATUS_VALUE = {"covered": 1.0, "partly": 0.5, "missed": 0.0}


def essay_coverage(prompts: Iterable, latest_statuses: Mapping[str, Sequence[str]],
                   facet_of: Callable[[str, str], str | None]) -> dict[TopicKey, float]:
    """Per topic, the share of its key points covered in the latest attempt at each prompt.

    `prompts` are essay prompts (with `id`, `deck_ids` and `points`, each point naming the
    cards that teach it); `latest_statuses` maps a prompt id to its latest attempt's status per
    point (covered 1, partly 0.5, missed 0). A point counts for the deck and facet of each of
    its cards, or for the prompt's decks when it names none. Topics without an attempt are absent.
    """
    sums: dict[TopicKey, list[float]] = defaultdict(lambda: [0.0, 0])
    for prompt in prompts:
        statuses = latest_statuses.get(prompt.id)
        if statuses is None:
            continue
        for point, status in zip(prompt.points, statuses):
            topics: set[TopicKey] = set()
            for deck_id, card_id in point.cards:
                facet = facet_of(deck_id, card_id)
                if facet is not None:
                    topics |= {(deck_id, facet), (deck_id, None)}
            if not topics:
                topics = {(deck_id, None) for deck_id in prompt.deck_ids}
            for topic in topics:
                sums[topic][0] += ESSAY_STATUS_VALUE.get(status, 0.0)
                sums[topic][1] += 1
    return {topic: total / n for topic, (total, n) in sums.items() if n}


# --- the statistics screen and `studyapp stats`: computed here, read by the service or (for the command,
# without SQLAlchemy) by studyapp.overview ------------------------------------------------------------
@dataclass(frozen=True)
class ExamOutlook:
    exam_date: date
    days_left: int | None  # None once the exam has passed
    predicted_recall: float | None  # mean retrievability on the exam day, new cards counting 0
    cards: int


@dataclass(frozen=True)
class Statistics:
    """Everything the statistics screen and `studyapp stats --json` show."""

    today: date
    per_day: list[tuple[date, int]]  # answers per study day, the last six months
    forecast: list[int]  # cards due on each of the next 30 days (today includes overdue)
    weekly: list[WeekRecall]
    maturity: list[DeckMaturity]
    recall_30d: float | None
    answers_30d: int

    def to_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "reviews_per_day": [{"day": d.isoformat(), "reviews": n} for d, n in self.per_day],
            "due_next_30_days": [{"day": (self.today + timedelta(days=i)).isoformat(), "due": n}
                                 for i, n in enumerate(self.forecast)],
            "recall_by_week": [{"week": w.start.isoformat(), "reviews": w.reviews, "recall": w.recall}
                               for w in self.weekly],
            "maturity": [{"id": m.deck_id, "mature": m.mature, "young": m.young, "new": m.new}
                         for m in self.maturity],
        }


def first_charted_day(today: date) -> date:
    """The first study day the charts need tallies from."""
    return today - timedelta(days=max(HEAT_MAP_DAYS, RECALL_WEEKS * 7 + 6))


def statistics(tallies: Sequence[DayTally], progress: Mapping[CardKey, CardProgress], decks: Sequence[Deck],
               layout: TopicLayout, now: datetime, day_start_hour: int) -> Statistics:
    """The charts' numbers from the per-day tallies (from first_charted_day on) and every card's progress."""
    from studyapp.core.scheduling import study_day, study_day_start

    today = study_day(now, day_start_hour)
    recent = [t for t in tallies if t.day > today - timedelta(days=RECENT_DAYS)]
    return Statistics(
        today=today,
        per_day=answers_per_day(tallies, today),
        forecast=due_forecast(progress.values(), study_day_start(now, day_start_hour)),
        weekly=recall_by_week(tallies, today),
        maturity=maturity(decks, progress, layout),
        recall_30d=recall_of(recent),
        answers_30d=sum(t.reviews for t in recent),
    )


def exam_outlook(settings: ScheduleSettings, now: datetime, layout: TopicLayout,
                 progress: Mapping[CardKey, CardProgress], curve: ForgettingCurve) -> ExamOutlook | None:
    """Days left and the share of cards recalled on the day if study stopped now; None without a date."""
    from studyapp.core.scheduling import exam_day_start, exam_days_left, study_day

    exam = settings.exam_date
    if exam is None:
        return None
    days_left = exam_days_left(exam, study_day(now, settings.day_start_hour))
    if days_left is None:
        return ExamOutlook(exam, None, None, 0)
    at = exam_day_start(exam, settings.day_start_hour, now.astimezone().tzinfo)
    keys = [(deck_id, card_id) for deck_id, in_deck in layout.card_facets.items() for card_id in in_deck]
    return ExamOutlook(exam, days_left, predicted_recall(keys, progress, max(at, now), curve), len(keys))
