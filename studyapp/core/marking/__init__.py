"""Mark an essay outline against its key points the way a lecturer does: generous about wording,
strict about facts (see ../shared/marking-guide.md, which the marked test data follows).

Each key point is compared with every *unit* of the outline: each line, each sentence of a long
line, and each pair of neighbouring lines (a claim may run over two lines). For a point and a unit
the scorer measures

* ``terms``: the share of the point's key terms the unit gives, each term weighted by how rare it is
  across the decks (``Lexicon``); words are stemmed and matched fuzzily, names and numbers exactly,
  after the abbreviations students use are expanded ("WP", "FRG", "coop", "w/", "'48");
* ``fuzzy``: rapidfuzz's ``token_set_ratio`` between the two, on their key terms;
* ``meaning``: the cosine similarity of their sentence embeddings, when a model is given
  (studyapp.meaning runs one locally); without one the scorer falls back on the other signals;
* conflict flags: a number of the point missing where the unit gives another of the same kind
  ("1948" for 1949, "10" for 11; each number checked on its own and per line, so a neighbouring line
  never lends one), a name of the same kind substituted for the point's own (Greece for Israel, OEEC
  for Council of Europe; the essay's own subject only where another name stands in its very place), one
  of the course's paired terms for the other (``words.ALTERNATIVES``: collective defence and collective
  security, army and police, "a month" and "a year"), and a negation on one side only ("unaffected"
  against "affected");
* ``weakest_half``: for a point in two parts ("X, whereas Y"), the share of the less covered part's terms
  (a marker gives "partly" to an outline that states one part);
* ``wrong_nearby``: how closely the outline's best line with a wrong fact matches the point (an outline
  that states the point with a wrong fact on one line earns less from another line).
* ``restated``: the share of the point's missing words that have another word in their very place in the
  unit (the same word before or after them): the point said in the student's own words.

A small ordinal logistic model turns these into one number per unit, ``z``: from ``PARTLY_AT`` a
point is partly covered, from ``COVERED_AT`` covered. Its coefficients were fitted by
bench/fit_essay_scorer.py on marked outlines whose prompts are not the held-out ones the tests use.
A unit with a conflicting number or name can never cover a point, and a point whose best-matching
unit states it with such a conflict gets no credit at all (``decide``); otherwise a point takes its
best unit. ``key_terms`` (are the point's rarest terms there?) and ``numbers_absent`` are among the model's
other inputs.

The parts: ``words`` (abbreviations and their expansion, stems), ``lexicon`` (terms and how rare each
is), ``reversals`` (a point stated the other way round) and ``model`` (units, features, the fitted
weights, the verdict).
"""

from __future__ import annotations

from studyapp.core.marking.lexicon import Lexicon, Term, terms
from studyapp.core.marking.model import (
    BIAS_WITH_MEANING,
    BIAS_WITHOUT_MEANING,
    CAPS,
    COVERED_AT,
    FEATURES,
    LEVELS,
    PARTLY_AT,
    WEIGHTS_WITH_MEANING,
    WEIGHTS_WITHOUT_MEANING,
    WORD_MATCH,
    WRONG_FACT_LEVEL,
    Match,
    PointTerms,
    Similarities,
    Unit,
    decide,
    features,
    match_matrix,
    outline_lines,
    point_terms,
    similarity_of,
    units_of,
    z_score,
)
from studyapp.core.marking.reversals import reversed_claim
from studyapp.core.marking.words import COUNTRIES, STOPWORDS, expand

__all__ = [
    "BIAS_WITHOUT_MEANING",
    "BIAS_WITH_MEANING",
    "CAPS",
    "COUNTRIES",
    "COVERED_AT",
    "FEATURES",
    "LEVELS",
    "PARTLY_AT",
    "STOPWORDS",
    "WEIGHTS_WITHOUT_MEANING",
    "WEIGHTS_WITH_MEANING",
    "WORD_MATCH",
    "WRONG_FACT_LEVEL",
    "Lexicon",
    "Match",
    "PointTerms",
    "Similarities",
    "Term",
    "Unit",
    "decide",
    "expand",
    "features",
    "match_matrix",
    "outline_lines",
    "point_terms",
    "reversed_claim",
    "similarity_of",
    "terms",
    "units_of",
    "z_score",
]
