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
  for Council of Europe), and a negation on one side only ("unaffected" against "affected").

A small ordinal logistic model turns these into one number per unit, ``z``: from ``PARTLY_AT`` a
point is partly covered, from ``COVERED_AT`` covered. Its coefficients were fitted by
bench/fit_essay_scorer.py on marked outlines whose prompts are not the held-out ones the tests use.
A unit with a conflicting number or name can never cover a point, and a point whose best-matching
unit states it with such a conflict gets no credit at all (``decide``); otherwise a point takes its
best unit. ``key_terms`` (are the point's rarest terms there?) and ``numbers_absent`` are the model's
two other inputs.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

import snowballstemmer
from rapidfuzz import fuzz

from studyapp.core.grading import NUMBER_WORDS, canonical_names, fold

# (points, units) -> one row of cosine similarities per point, one column per unit.
Similarities = Callable[[Sequence[str], Sequence[str]], Sequence[Sequence[float]]]

# --- the model: fitted by bench/fit_essay_scorer.py (see its output for the cross-validation) ---------
FEATURES = ("terms", "fuzzy", "meaning", "terms_x_meaning", "number_conflict", "name_conflict",
            "negation", "numbers_absent", "key_terms", "reversal")
# A unit with any of these can never cover a point: a wrong fact is worse than silence.
CAPS = ("number_conflict", "name_conflict", "reversal")
WEIGHTS_WITH_MEANING = (3.974, 2.192, 1.723, -0.406, -3.660, -3.381, 0.012, -0.328, 0.952, -1.633)
BIAS_WITH_MEANING = -2.895
WEIGHTS_WITHOUT_MEANING = (4.336, 2.454, 0.000, 0.000, -3.622, -3.327, -0.144, -0.343, 1.163, -1.466)
BIAS_WITHOUT_MEANING = -2.366  # fitted -2.379 with covered at 1.087: shifted to share COVERED_AT
PARTLY_AT = 0.0  # z from which a point counts as partly covered
COVERED_AT = 1.100  # ... and as covered
WORD_MATCH = 86  # rapidfuzz ratio at which two stemmed ordinary words are the same word

# --- the students' abbreviations, expanded before anything is compared ------------------------------
# Acronyms are matched with their case ("WP", not "wp"); the rest ignore case.
# Bodies are compared by their acronyms, one name each: the long forms are folded to them.
_BODIES = {
    "North Atlantic Treaty Organi[sz]ation": "NATO", "Western European Union": "WEU",
    "European Defence Community": "EDC", "European Coal and Steel Community": "ECSC",
    "European Economic Community": "EEC", "Organi[sz]ation for Security and Co-?operation in Europe": "OSCE",
    "Conference on Security and Co-?operation in Europe": "CSCE", "North Atlantic Council": "NAC",
    "North Atlantic Co-?operation Council": "NACC", "Euro-Atlantic Partnership Council": "EAPC",
    "Partnership for Peace": "PfP", "Mediterranean Dialogue": "MD", "Istanbul Co-?operation Initiative": "ICI",
    "Afghan National Security Forces": "ANSF", "Afghan National Army": "ANA", "Afghan National Police": "ANP",
    "Common Foreign and Security Policy": "CFSP", "European Security and Defen[cs]e Policy": "ESDP",
    "Common Security and Defen[cs]e Policy": "CSDP", "European Defen[cs]e Agency": "EDA",
    "Security and Prosperity Partnership": "SPP", "International Security Assistance Force": "ISAF",
    "NATO Training Mission[- ]+Afghanistan": "NTM-A", "Permanent Structured Co-?operation": "PESCO",
    "Office for Democratic Institutions and Human Rights": "ODIHR", "High Commissioner on National Minorities": "HCNM",
    "Organi[sz]ation for European Economic Co-?operation": "OEEC", "Council of Europe": "CoE",
    "Shanghai Co-?operation Organi[sz]ation": "SCO", "ASEAN Regional Forum": "ARF",
    "African Union": "AU", "United Nations": "UN", "European Union": "EU", "Strategic Concepts?": "SC",
    "Warsaw Treaty Organi[sz]ation": "Warsaw Pact",
}
_BODY_NAMES = frozenset(fold(short) for short in _BODIES.values())
_BODY_PATTERNS = [re.compile(rf"(?:the\s+)?{long}", re.IGNORECASE) for long in _BODIES]
_BODY_RE = re.compile(r"\b(?:" + "|".join(f"(?:the\\s+)?{long}" for long in _BODIES) + r")\b", re.IGNORECASE)


def _body(m: re.Match) -> str:
    found = m.group()
    return next(short for pattern, short in zip(_BODY_PATTERNS, _BODIES.values()) if pattern.fullmatch(found))
# Abbreviations that are not bodies' names, written out.
_ACRONYMS = {
    "WP": "Warsaw Pact", "WTO": "Warsaw Pact", "FRG": "West Germany", "BRD": "West Germany",
    "GDR": "East Germany", "DDR": "East Germany", "USSR": "Soviet Union", "SU": "Soviet Union",
    "UK": "Britain", "GB": "Britain", "US": "United States", "USA": "United States",
    "IED": "improvised explosive device", "IEDs": "improvised explosive devices", "SCs": "SC",
    "HQ": "headquarters", "MS": "member states", "MSs": "member states", "SG": "Secretary General",
    "WW2": "Second World War", "WWII": "Second World War", "WW1": "First World War", "WWI": "First World War",
    "PFP": "PfP", "FR": "France", "IT": "Italy", "GER": "Germany", "CoE": "Council of Europe",
}
_WORDS = {
    "coop": "cooperation", "co-op": "cooperation", "govt": "government", "govts": "governments",
    "gov't": "government", "gvt": "government", "gov": "government", "mil": "military", "milit": "military",
    "intl": "international", "int'l": "international", "natl": "national", "econ": "economic",
    "pol": "political", "sec": "security", "dev": "development", "devt": "development",
    "org": "organisation", "orgs": "organisations", "reps": "representatives", "yr": "year", "yrs": "years",
    "bc": "because", "b/c": "because", "bcs": "because", "cos": "because", "coz": "because",
    "w/": "with", "w/o": "without", "wo/": "without", "thru": "through", "tho": "though",
    "e.g.": "", "eg": "", "e.g": "", "i.e.": "", "ie": "", "etc": "", "etc.": "", "esp": "especially",
    "vs": "versus", "vs.": "versus", "approx": "about", "c.": "about", "ca.": "about", "&": "and",
    "+": "and", "->": "so", "-->": "so", "=>": "so", "→": "so", "=": "is", "w.": "west", "e.": "east",
    "art": "article", "art.": "article", "arts": "articles", "min": "minister", "mins": "ministers",
    "euro": "european", "euros": "europeans", "sov": "soviet", "soviets": "soviet", "america": "united states",
    "washington": "united states",
    "moscow": "soviet union", "russia's": "russia", "stalin's": "stalin",
    "soc": "social", "cult": "cultural", "democ": "democratic", "dem": "democratic", "commie": "communist",
    "commies": "communists", "def": "defence", "def.": "defence", "eur": "european", "eur.": "european",
    "coll": "collective", "coll.": "collective", "cttee": "committee", "mgmt": "management",
    "ops": "operations", "op": "operation", "dipl": "diplomatic", "admin": "administration",
    "infra": "infrastructure", "tech": "technology", "dept": "department", "resp": "responsibility",
    "reqd": "required", "pop": "population", "ctry": "country", "ctries": "countries", "cntry": "country",
    "int": "international", "nat": "national", "fin": "financial", "agric": "agricultural",
}
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|" \
          "august|september|october|november|december"
# "Feb '48", "Apr 49", "'91" are years; "in 48" only where no noun follows ("in 48 states" is a count).
_TWO_DIGIT_YEAR = re.compile(rf"(\b(?:{_MONTHS})\.?\s*'?|(?<![\w'])')(\d\d)\b(?!\s*%)"
                             rf"|(\b(?:in|by|from|until|since)\s+)(\d\d)\b(?!\s*%|\s*[a-z])", re.IGNORECASE)
_ACRONYM_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, _ACRONYMS), key=len, reverse=True))
                         + r")(?![\w-])")
_WORD_RE = re.compile(r"(?<![\w/'-])(" + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
                      + r")(?![\w/'-])", re.IGNORECASE)

# Words that carry no claim of their own: grammar, discourse and the verbs of essay writing.
STOPWORDS = frozenset("""
a an the and or of in on at to for from by with as its it is was were be been being are this that these those
which who whom whose what when where how their his her they them there here he she we our us you your i me my
after before during into over about than then also both each all some any nor so but if up out off per via
through because however although though yet while whereas whilst since still even very much such other own
only just quite rather instead mainly largely partly really thus therefore hence indeed moreover furthermore
argue argues argued argument claim claims claimed say says said show shows showed shown suggest suggests
note notes noted point points become became has had have having do did does doing would could should will
can may might must shall get got gets make made makes one ones another way ways thing things lot lots well
whether first second third finally overall conclusion assessment intro introduction essay answer question
""".split())
_NEGATIONS = frozenset("not no never without neither nor none failed fail fails lack lacked lacking unable "
                       "cannot n't refused refuse rejected".split())
_NOT_NEGATING = re.compile(r"\bnot\s+(?:only|just|merely|simply)\b|\bno\s+(?:longer|less|more)\b")
_NEGATING_PREFIXES = ("un", "non", "in", "im", "ir", "il", "dis", "under", "over", "mis")
# Capitalised words that name a kind of thing, not one thing: ordinary words, however they are written.
_GENERIC = frozenset("""
treaty treaties report act plan summit conference programme program mission operation operations
organisation organization union community council committee agreement agreements declaration concept
strategy initiative partnership policy force forces agency article articles charter pact alliance alliances
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
north south east west eastern western northern southern central european europe atlantic
""".split())
# A name of several capitalised words, such as "Smart Border Accord" or "Council of Europe".
_PHRASE = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of|for)\s+[A-Z][\w'-]*|\s+[A-Z][\w'-]*)+")
_TOKEN = re.compile(r"\d[\d,.]*\d(?:'?s\b)?|\d(?:'?s\b)?|[^\W\d_]+(?:['-][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=\w\w[.!?;:])\s+|(?<=[)\]'\"][.!?;:])\s+|\s+(?:-{1,2}|–|—)\s+")
_BULLET = re.compile(r"^\s*(?:[-*•>·]+|\d+[.)]|[a-z][.)])\s+", re.IGNORECASE)
_LOCAL = threading.local()  # snowballstemmer's stemmers keep state: one per thread

# Names of the same kind: a unit that gives another of the kind where the point's own is absent
# names a wrong one. Countries are listed here; organisations and treaties come from the decks.
COUNTRIES = frozenset(fold(c) for c in """
Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan Bahamas Bahrain
Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia Botswana Brazil Britain Brunei Bulgaria
Burkina Burundi Cambodia Cameroon Canada Chad Chile China Colombia Comoros Congo Croatia Cuba Cyprus Czechia
Czechoslovakia Denmark Djibouti Dominica Ecuador Egypt Eritrea Estonia Eswatini Ethiopia Fiji Finland France
Gabon Gambia Georgia Germany Ghana Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India
Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kiribati Korea Kosovo Kuwait
Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania Luxembourg Madagascar Malawi
Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco Mongolia Montenegro Morocco
Mozambique Myanmar Burma Namibia Nauru Nepal Netherlands Holland Nicaragua Niger Nigeria Macedonia Norway Oman
Pakistan Palau Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Samoa
Senegal Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria
Taiwan Tajikistan Tanzania Thailand Togo Tonga Trinidad Tunisia Turkey Turkmenistan Tuvalu Uganda Ukraine
Uruguay Uzbekistan Vanuatu Vatican Venezuela Vietnam Yemen Yugoslavia Zambia Zimbabwe Benelux US UK USSR
""".split())
_COUNTRY_FORMS = {"czech": "czechoslovakia", "british": "britain", "french": "france", "german": "germany",
                  "italian": "italy", "greek": "greece", "polish": "poland", "turkish": "turkey",
                  "dutch": "netherlands", "spanish": "spain", "russian": "russia", "israeli": "israel",
                  "latvian": "latvia", "lithuanian": "lithuania", "estonian": "estonia", "afghan": "afghanistan",
                  "canadian": "canada", "mexican": "mexico", "chinese": "china", "japanese": "japan",
                  "hungarian": "hungary", "romanian": "romania", "bulgarian": "bulgaria", "norwegian": "norway",
                  "danish": "denmark", "portuguese": "portugal", "belgian": "belgium", "indian": "india",
                  "australian": "australia", "korean": "korea", "ukrainian": "ukraine", "georgian": "georgia",
                  "serbian": "serbia", "swedish": "sweden", "finnish": "finland", "austrian": "austria",
                  "swiss": "switzerland", "irish": "ireland", "pakistani": "pakistan", "iranian": "iran",
                  "iraqi": "iraq", "syrian": "syria", "libyan": "libya", "egyptian": "egypt",
                  "moroccan": "morocco", "tunisian": "tunisia", "algerian": "algeria", "jordanian": "jordan",
                  "kazakh": "kazakhstan", "uzbek": "uzbekistan", "tajik": "tajikistan", "kyrgyz": "kyrgyzstan",
                  "mongolian": "mongolia", "brazilian": "brazil", "slovak": "slovakia", "slovenian": "slovenia",
                  "croatian": "croatia", "albanian": "albania", "yugoslav": "yugoslavia"}


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


# "since 02", "mid-09": a two-digit number with a leading zero is a year of the 2000s in an outline on
# this course (no count is written "02"). "55-2011" is a span of years. "352k" is 352,000.
_ZERO_YEAR = re.compile(r"(?<![\w.,'/:-])0(\d)(?![\w.,%:/]|\s*%)|(?<=\bmid-)0(\d)\b")
_YEAR_SPAN = re.compile(r"(?<![\w.,'/-])(\d\d)\s*[-–]\s*((?:19|20)\d\d)\b")
_GLUED = re.compile(r"(?<=[A-Za-z]{2})(?:->|=>|/)(?=[A-Za-z]{2})")
_THOUSANDS = re.compile(r"\b(\d{1,3})k\b", re.IGNORECASE)


def _span(m: re.Match) -> str:
    end = int(m.group(2))
    start = end // 100 * 100 + int(m.group(1))
    return f"{start if start <= end else start - 100}-{end}"


def _full_year(m: re.Match) -> str:
    lead, digits = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
    return lead.replace("'", "").rstrip() + " " + ("19" if int(digits) > 30 else "20") + digits


@lru_cache(maxsize=20_000)
def expand(text: str) -> str:
    """The outline or point with students' abbreviations and short years written out."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    # "GER->EUPOL", "soc/cult": arrows and slashes between words separate them
    text = _GLUED.sub(lambda m: f" {m.group()} ", text)
    text = _TWO_DIGIT_YEAR.sub(_full_year, text)
    text = _YEAR_SPAN.sub(_span, text)
    text = _ZERO_YEAR.sub(lambda m: "200" + (m.group(1) or m.group(2)), text)
    text = _THOUSANDS.sub(lambda m: m.group(1) + "000", text)
    text = _ACRONYM_RE.sub(lambda m: _ACRONYMS[m.group(1)], text)
    text = _WORD_RE.sub(lambda m: " " + _WORDS[m.group(1).lower()] + " ", text)
    text = _BODY_RE.sub(_body, text)
    return canonical_names(text)


@dataclass(frozen=True)
class Term:
    text: str  # a stem, a folded name, or a number
    kind: str  # word | name | number
    weight: float = 1.0


@dataclass
class Lexicon:
    """What the decks say about words: how rare each stem is, which capitalised words are names, and
    which names are of one kind (organisations, treaties), so that one can be told from another."""

    df: Counter = field(default_factory=Counter)
    documents: int = 0
    names: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    common: set[str] = field(default_factory=set)  # stems the decks write in lower case: ordinary words
    phrases: set[str] = field(default_factory=set)  # names of several words ("Smart Border Accord")
    _phrase_re: re.Pattern | None = None

    def add(self, text: str) -> None:
        self.documents += 1
        expanded = expand(text)
        seen: set[str] = set()
        for i, m in enumerate(_TOKEN.finditer(expanded)):
            raw = m.group()
            if raw[0].isdigit():
                continue
            word = fold(raw)
            seen.add(_stem(word))
            if raw[0].isupper() and i > 0 and word not in _GENERIC and word not in STOPWORDS:
                self.names.add(word)
            elif raw.islower():
                self.common.add(_stem(word))
        for acronym in re.findall(r"\b[A-Z][A-Za-z-]{1,5}\b", expanded):
            if sum(ch.isupper() for ch in acronym) >= 2:
                self.organisations.add(fold(acronym))
        for m in _PHRASE.finditer(expanded):
            words = m.group().split()
            folded = [fold(w) for w in words]
            # A name of several words, one of them a kind of thing ("Smart Border Accord", "Council of
            # Europe"); not a mere direction and a people ("West German", "Western Europe").
            plain = [w for w in folded if w not in _GENERIC and w not in ("of", "for") and w not in _COUNTRY_FORMS
                     and w not in COUNTRIES]
            if len(words) >= 2 and any(w in _GENERIC for w in folded) and plain and folded[0] not in STOPWORDS:
                self.phrases.add(" ".join(folded))
        self._phrase_re = None
        self.df.update(seen)

    def phrase_pattern(self) -> re.Pattern | None:
        if self._phrase_re is None and self.phrases:
            ordered = sorted(self.phrases, key=len, reverse=True)
            self._phrase_re = re.compile(r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
                                         + r")\b", re.IGNORECASE)
        return self._phrase_re

    def share(self, name: str) -> float:
        """The share of the decks' texts that use a word or name."""
        if not self.documents or " " in name:  # a name of several words is never that common
            return 0.0
        return self.df.get(_stem(name), 0) / self.documents

    def weight(self, stem: str) -> float:
        """Inverse document frequency, floored so that common course words still count a little."""
        if not self.documents:
            return 1.0
        idf = math.log((self.documents + 1) / (self.df.get(stem, 0) + 1))
        return max(0.35, min(idf / math.log(self.documents + 1) * 2.0, 1.5))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Lexicon:
        lexicon = cls()
        for text in texts:
            lexicon.add(text)
        return lexicon


def terms(text: str, lexicon: Lexicon) -> list[Term]:
    """The key terms of a text, each once: numbers, names and stemmed content words."""
    out: dict[tuple[str, str], Term] = {}
    expanded = expand(text)
    pattern = lexicon.phrase_pattern()
    if pattern is not None:
        def phrase(m: re.Match) -> str:
            words = fold(m.group()).split()
            name = " ".join(words)
            out.setdefault(("name", name), Term(name, "name", 1.5))
            for word in words:  # "Schuman Plan" names Schuman too
                if word not in _GENERIC and word not in STOPWORDS and _stem(word) not in lexicon.common:
                    out.setdefault(("name", word), Term(word, "name", 0.5))
            return " "
        expanded = pattern.sub(phrase, expanded)
    for m in _TOKEN.finditer(expanded):
        raw = m.group()
        if raw[0].isdigit():
            number = raw.replace(",", "").replace("'", "").rstrip(".")
            out.setdefault(("number", number), Term(number, "number", 1.5))
            continue
        word = fold(raw)
        if word.endswith("'s"):
            word = word[:-2]
        if word in NUMBER_WORDS:
            out.setdefault(("number", NUMBER_WORDS[word]), Term(NUMBER_WORDS[word], "number", 1.5))
            continue
        if word in STOPWORDS or len(word) < 2:
            continue
        # At the start of a sentence a capital says nothing, unless the decks use the word as a name or
        # never write it in lower case ("Rumsfeld warned ...", but not "Critics say ...").
        # A capital alone does not make a name: "Blockade" or "Process" in a point, "Critics" at the start
        # of a line, are words the decks write in lower case too. Acronyms are names.
        parts = word.split("-")
        is_name = raw[0].isupper() and not all(p in _GENERIC for p in parts) and (
            raw.isupper() or sum(ch.isupper() for ch in raw) >= 2
            or not (_stem(word) in lexicon.common or word in lexicon.common))
        if is_name:
            out.setdefault(("name", word), Term(word, "name", 1.5))
        else:
            stem = _stem(word)
            out.setdefault(("word", stem), Term(stem, "word", lexicon.weight(stem)))
    return list(out.values())


def _year(number: str) -> bool:
    digits = number.rstrip("s")
    return len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2099


def _negated(words: Sequence[str]) -> int:
    """How many negations a text has; "not only" and "no longer" are not denials of the claim."""
    text = " ".join(words)
    return sum(1 for w in words if w in _NEGATIONS or w.endswith("n't")) - len(_NOT_NEGATING.findall(text))


def _unprefixed(words: Sequence[str]) -> set[str]:
    """Each negated word without its prefix ("unaffected" -> "affected"), to meet its opposite."""
    return {w[len(prefix):].lstrip("-") for w in words if len(w) > 5 for prefix in _NEGATING_PREFIXES
            if w.startswith(prefix) and len(w) - len(prefix) > 4}


def _negation_pair(a: str, b: str) -> bool:
    """'unaffected' and 'affected', 'understaffed' and 'staffed': one is the other negated."""
    for longer, shorter in ((a, b), (b, a)):
        for prefix in _NEGATING_PREFIXES:
            if longer.startswith(prefix) and longer[len(prefix):].lstrip("-") == shorter:
                return True
    return False


# Opposites a reversed claim uses ("took months" where the point says "quickly", "agile" for "unwieldy"):
# general English pairs, not this course's facts. A line that says one where the point says the other
# states the claim the wrong way round.
_OPPOSITE_PAIRS = """
quick:slow quickly:slowly fast:slow rapid:slow rapidly:slowly swift:slow swiftly:slowly immediately:later
early:late earlier:later increase:decrease increase:cut rise:fall grow:shrink expand:shrink expand:contract
strengthen:weaken strong:weak stronger:weaker gain:loss gain:lose win:lose success:failure succeed:fail
successful:failed accept:reject approve:reject ratify:reject support:oppose join:leave enter:leave unite:divide
cohesion:division cohesive:divided include:exclude allow:forbid allow:prohibit permit:prohibit
continue:end continued:ended agile:unwieldy flexible:rigid streamlined:unwieldy easy:hard easy:difficult
simple:complex cheap:expensive large:small majority:consensus majority:unanimity voluntary:imposed
voluntary:forced voluntarily:forced produce:consume producing:consuming producer:consumer export:import
offensive:defensive supranational:intergovernmental bilateral:multilateral unilateral:multilateral
internal:external inside:outside ally:enemy friend:enemy victory:defeat boost:reduce raise:lower
improve:worsen better:worse best:worst cooperation:competition cooperate:compete more:less more:fewer
both:only old:new existing:new existed:new
"""
# Words that turn a clause into a denial ("without a secretariat", "no gain in stature", "refused to
# ratify", "a weak sense of ownership"). A clause is what lies between commas, colons, brackets or arrows.
_DENIALS = frozenset("""
not no never without neither nor none cannot lack lacks lacked lacking unable fail fails failed failure
refuse refuses refused insufficient inadequate weak absent absence shortage dropped abandoned scrapped
excluded excluding except
""".split())
_PREFIX_HYPHEN = re.compile(r"\b(under|over|non|un|mis|dis)-(?=[a-z])", re.IGNORECASE)  # "under-funded"
_LEFT_OUT = re.compile(r"\b(?:left|kept|shut)\s+out\b", re.IGNORECASE)
_NOT_DENYING_NEXT = {"not": {"only", "just", "merely", "simply"}, "no": {"less", "more", "doubt"}}
_CLAUSE = re.compile(r"\s*(?:[,;:.!?()\[\]\n]|->|=>|-{1,2}\s|–|—|\b(?:but|while|whereas|which|so|because)\b)\s*",
                     re.IGNORECASE)
_FROM_TO = re.compile(r"\bfrom\s+(\w+)(?:\s+\w+){0,2}?\s+to\s+(\w+)")
_CLAUSE_SHARED = 2  # content words two clauses must share to be saying something about the same thing


@lru_cache(maxsize=1)
def _opposites() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for pair in _OPPOSITE_PAIRS.split():
        a, b = (_stem(w) for w in pair.split(":"))
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


def _denied(words: Sequence[str]) -> bool:
    return any((w in _DENIALS or w.endswith("n't")) and not (w in _NOT_DENYING_NEXT and nxt in _NOT_DENYING_NEXT[w])
               for w, nxt in zip(words, [*words[1:], ""]))


@dataclass(frozen=True)
class _Clause:
    stems: frozenset[str]  # content words, stemmed (names included)
    denies: bool
    names: frozenset[str]  # countries, bodies and other acronyms, each in one form


@dataclass(frozen=True)
class _Stance:
    clauses: tuple[_Clause, ...]
    stems: frozenset[str]
    changes: tuple[tuple[str, str], ...]  # "from X to Y"
    prefixed: tuple[tuple[str, str], ...] = ()  # (stem, the stem without its negating prefix): "mistrust", "trust"

    def denied(self, stem: str) -> bool:
        return any(c.denies for c in self.clauses if stem in c.stems)


def _clause_name(token: str) -> str | None:
    word = fold(token)
    if token.isupper() and len(token) >= 2 and token.isalpha():
        return _NAME_FORMS.get(word, word)
    if token[:1].isupper():
        if word in _COUNTRY_FORMS:
            return _COUNTRY_FORMS[word]
        if word in _NAME_FORMS:
            return _NAME_FORMS[word]
        if word in COUNTRIES:
            return word
    return None


@lru_cache(maxsize=65536)
def _stance(text: str) -> _Stance:
    """A text's clauses (their content stems, whether the clause denies, the names in it), all its content
    stems, and its "from X to Y" changes."""
    expanded = _LEFT_OUT.sub("excluded", expand(text))
    clauses = []
    stems: set[str] = set()
    for part in _CLAUSE.split(expanded):
        tokens = re.findall(r"[\w']+", _PREFIX_HYPHEN.sub(r"\1", part))
        words = [fold(w) for w in tokens]
        content = frozenset(_stem(w) for w in words if w not in STOPWORDS and w not in _DENIALS
                            and not w.isdigit() and len(w) > 1)
        stems |= content
        if content:
            names = frozenset(n for n in map(_clause_name, tokens) if n)
            clauses.append(_Clause(content, _denied(words), names))
    changes = tuple((_stem(a), _stem(b)) for a, b in _FROM_TO.findall(fold(expanded)))
    prefixed = tuple((stem, stem[len(prefix):].lstrip("-")) for stem in stems for prefix in _NEGATING_PREFIXES
                     if stem.startswith(prefix) and len(stem[len(prefix):].lstrip("-")) >= 4)
    return _Stance(tuple(clauses), frozenset(stems), changes, prefixed)


def _roles_swapped(point: _Stance, line: _Stance) -> bool:
    """Two clauses of the point give two names different roles ("the US trained the army while Germany
    trained the police"); the line gives one name the other's role and not its own."""
    named = [c for c in point.clauses if c.names]
    for a in named:
        for b in named:
            if a is b or a.names & b.names:
                continue
            own = a.stems - b.stems - {_stem(n) for n in a.names | b.names}
            other = b.stems - a.stems - {_stem(n) for n in a.names | b.names}
            if not own or not other:
                continue
            for clause in line.clauses:
                if clause.names & a.names and not clause.names & b.names and clause.stems & other \
                        and not clause.stems & own:
                    return True
    return False


def reversed_claim(point: str, line: str) -> bool:
    """The line says what the point says the other way round: a clause about the same thing denied on
    one side and not on the other ("had a permanent secretariat" for "without a permanent secretariat"),
    an opposite word ("slow" for "quickly"), a change turned round ("from producing to consuming"), or
    two names' roles swapped ("Germany trained the army" where the US did)."""
    p, ln = _stance(point), _stance(line)
    for pc in p.clauses:
        for lc in ln.clauses:
            # the same thing said both ways in the line ("not X but Y") leaves no stance to compare
            if pc.denies != lc.denies and len(pc.stems & lc.stems) >= _CLAUSE_SHARED \
                    and not any(len(pc.stems & other.stems) >= _CLAUSE_SHARED and other.denies == pc.denies
                                for other in ln.clauses):
                return True
    # An opposite word ("slow" for "quickly", "mistrust" for "trust") reverses the claim, unless one of the
    # two is denied ("no clear purpose" is "an unclear purpose").
    opposites = _opposites()
    for stem in p.stems - ln.stems:
        for other in opposites.get(stem, ()):
            if other in ln.stems and other not in p.stems and p.denied(stem) == ln.denied(other):
                return True
    for mine, theirs in ((p, ln), (ln, p)):
        for stem, base in mine.prefixed:
            if stem not in theirs.stems and base in theirs.stems and base not in mine.stems \
                    and mine.denied(stem) == theirs.denied(base):
                return True
    if any((b, a) in ln.changes for a, b in p.changes if a != b):
        return True
    return _roles_swapped(p, ln)


@dataclass
class Unit:
    """A stretch of the outline a point is compared with."""

    line: int  # 1-based line it starts on
    text: str
    line_text: str  # the whole line, to show the student
    lines: tuple[str, ...] = ()  # the whole lines it lies in (one, or two for a pair)
    terms: list[Term] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    numbers_per_line: list[set[str]] = field(default_factory=list)
    raw_words: list[str] = field(default_factory=list)
    folded: str = ""
    # The same for the whole line(s) the unit lies in: a wrong name or a reversal anywhere on the line
    # belongs to the claim the line makes, even where the unit is only part of it.
    line_names: set[str] = field(default_factory=set)
    line_raw_words: list[str] = field(default_factory=list)
    lines_text: str = ""


def outline_lines(outline: str) -> list[tuple[int, str]]:
    lines = [(i, _BULLET.sub("", raw).strip()) for i, raw in enumerate(outline.splitlines(), 1)]
    return [(i, text) for i, text in lines if text]


def units_of(outline: str, lexicon: Lexicon) -> list[Unit]:
    lines = outline_lines(outline)
    units: list[Unit] = []
    for i, text in lines:
        units.append(Unit(i, text, text, (text,)))
        parts = [p for p in _SENTENCE_END.split(text) if p and len(p.split()) >= 3]
        if len(parts) > 1:
            units += [Unit(i, p, text, (text,)) for p in parts]
    for (i, a), (_, b) in pairwise(lines):
        units.append(Unit(i, f"{a} {b}", a, (a, b)))
    for unit in units:
        unit.terms = terms(unit.text, lexicon)
        unit.words = {t.text for t in unit.terms if t.kind == "word"}
        unit.names = {t.text for t in unit.terms if t.kind == "name"}
        unit.numbers_per_line = [{t.text for t in terms(line, lexicon) if t.kind == "number"} for line in unit.lines]
        unit.raw_words = [fold(w) for w in re.findall(r"[\w']+", expand(unit.text))]
        unit.folded = " ".join(t.text for t in unit.terms)
        whole = " ".join(unit.lines)
        if whole == unit.text:
            unit.line_names, unit.line_raw_words = unit.names, unit.raw_words
        else:
            unit.line_names = {t.text for t in terms(whole, lexicon) if t.kind == "name"}
            unit.line_raw_words = [fold(w) for w in re.findall(r"[\w']+", expand(whole))]
        unit.lines_text = whole
    return units


@dataclass(frozen=True)
class Match:
    """How one point fares against one unit."""

    features: tuple[float, ...]
    z: float
    conflict: bool


@dataclass
class PointTerms:
    text: str
    terms: list[Term]
    numbers: set[str]
    raw_words: list[str]
    folded: str


def point_terms(text: str, lexicon: Lexicon) -> PointTerms:
    found = terms(text, lexicon)
    words = [fold(w) for w in re.findall(r"[\w']+", expand(text))]
    return PointTerms(text, found, {t.text for t in found if t.kind == "number"}, words,
                      " ".join(t.text for t in found))


@lru_cache(maxsize=65536)
def _similar_words(a: str, b: str) -> bool:
    if a == b:
        return True
    if _negation_pair(a, b):
        return False
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True
    return fuzz.ratio(a, b) >= WORD_MATCH


def _hits(point: PointTerms, unit: Unit) -> list[bool]:
    hits = []
    for term in point.terms:
        if term.kind == "number":
            hit = any(term.text in numbers for numbers in unit.numbers_per_line)
        elif term.kind == "name":
            hit = term.text in unit.names or _stem(term.text) in unit.words
        else:
            hit = any(_similar_words(term.text, w) for w in unit.words) or any(
                _stem(n) == term.text for n in unit.names)
        hits.append(hit)
    return hits


def features(point: PointTerms, unit: Unit, meaning: float | None, lexicon: Lexicon,
             line_units: Sequence[Unit] = ()) -> tuple[float, ...]:
    """`line_units`, for a pair of lines, are the two lines as units of their own: a number counts for
    the pair only on a line that also gives some other part of the point (a year goes with its claim;
    a neighbouring line does not lend one)."""
    total = sum(t.weight for t in point.terms) or 1.0
    hits = _hits(point, unit)
    if line_units:
        per_line = [_hits(point, u) for u in line_units]
        for k, term in enumerate(point.terms):
            if term.kind == "number" and hits[k]:
                hits[k] = any(h[k] and any(h[i] for i, t in enumerate(point.terms) if t.kind != "number")
                              for h in per_line)
    coverage = sum(t.weight for t, hit in zip(point.terms, hits) if hit) / total
    # The point's rarest terms, the ones that make it this point and not another: are they there?
    ranked = sorted(range(len(point.terms)), key=lambda k: -point.terms[k].weight)[:3]
    key_terms = sum(hits[k] for k in ranked) / len(ranked) if ranked else 0.0
    similarity = fuzz.token_set_ratio(point.folded, unit.folded) / 100 if unit.folded else 0.0
    number_conflict = _number_conflict(point.numbers, unit.numbers_per_line)
    name_conflict = _name_conflict(point, unit, lexicon)
    negation = float(_negated(point.raw_words) != _negated(unit.raw_words)
                     or bool(_unprefixed(point.raw_words) & set(unit.raw_words))
                     or bool(_unprefixed(unit.raw_words) & set(point.raw_words)))
    numbers_absent = float(bool(point.numbers) and not any(
        point.numbers & n for n in (u.numbers_per_line[0] for u in line_units)) if line_units else
        bool(point.numbers) and not any(point.numbers & n for n in unit.numbers_per_line))
    m = meaning if meaning is not None else 0.0
    reversal = float(reversed_claim(point.text, "\n".join(unit.lines)))
    return (coverage, similarity, m, coverage * m, float(number_conflict), float(name_conflict), negation,
            numbers_absent, key_terms, reversal)


def _number_conflict(wanted: set[str], per_line: list[set[str]]) -> bool:
    """A line gives a number of the same kind (a year, or a count) where the point's own is missing:
    each of the point's numbers is checked on its own, and each line on its own."""
    for given in per_line:
        for number in wanted:
            if number in given:
                continue
            kind = _year(number)
            others = [g for g in given if _year(g) == kind and g not in wanted]
            if kind:
                if any(abs(int(g.rstrip("s")) - int(number.rstrip("s"))) < 60 for g in others):
                    return True
            elif others:
                return True
    return False


# Forms of one name, folded to one before names are compared ("Soviet" and "USSR" are the same).
_NAME_FORMS = {"soviet": "ussr", "soviets": "ussr", "moscow": "ussr", "america": "us", "american": "us",
               "washington": "us", "british": "uk", "britain": "uk", "england": "uk", "french": "france",
               "paris": "france", "german": "germany", "bonn": "germany", "frg": "germany", "italian": "italy",
               "afghan": "afghanistan", "kabul": "afghanistan", "nato's": "nato", "allied": "allies",
               "eu's": "eu", "un's": "un"}


_BENELUX = frozenset({"belgium", "netherlands", "luxembourg", "nl", "lux", "dutch"})


def _known_names(names: Iterable[str], words: Iterable[str], lexicon: Lexicon) -> set[str]:
    """Names in one form each, with countries named by their adjectives too ("Polish" is Poland)."""
    found = {_NAME_FORMS.get(n, n) for n in names}
    found |= {_COUNTRY_FORMS[w] for w in words if w in _COUNTRY_FORMS}
    found |= {_NAME_FORMS[w] for w in words if w in _NAME_FORMS}
    out: set[str] = set()
    for name in found:  # "Canada-U.S." and "US-Canada" name the same two countries; "NATO-led" names NATO
        parts = name.split("-")
        if len(parts) > 1 and all(len(p) >= 2 for p in parts):
            out |= {p for p in parts if _stem(p) not in lexicon.common}
        else:
            out.add(name)
    if out & _BENELUX:
        out.add("benelux")
    return {_NAME_FORMS.get(n, n) for n in out}


def _name_conflict(point: PointTerms, unit: Unit, lexicon: Lexicon) -> bool:
    """The unit names someone or something the point does not, where a name of the point is missing:
    a substituted name (Greece for Israel, OEEC for Council of Europe, Adenauer for Monnet)."""
    want = _known_names((t.text for t in point.terms if t.kind == "name"), point.raw_words, lexicon)
    have = _known_names(unit.line_names, unit.line_raw_words, lexicon)
    missing, extra = want - have, have - want
    # A name the decks use everywhere (NATO in a NATO essay) is the subject, not a fact a line must give.
    missing = {m for m in missing if lexicon.share(m) < 0.05}
    # A shortened name is the same name: "Strasb" for Strasbourg.
    missing = {m for m in missing if not any(len(e) >= 4 and m.startswith(e) for e in extra)}
    extra = {e for e in extra if not any(len(e) >= 4 and w.startswith(e) for w in want)}
    if not missing or not extra:
        return False
    # A name of the same kind stands in for the missing one: a country for a country, a body for a body,
    # or any other name for a person's or place's name.
    def kind(name: str) -> str:
        if name in COUNTRIES:
            return "country"
        return "body" if name in lexicon.organisations or name in _BODY_NAMES or name in acronyms else "other"

    acronyms = {fold(a) for a in re.findall(r"\b[A-Z][A-Za-z-]{1,6}\b", expand(unit.lines_text)) if sum(c.isupper() for c in a) >= 2}

    return any(kind(m) == kind(e) for m in missing for e in extra)


def z_score(values: tuple[float, ...], with_meaning: bool) -> float:
    weights = WEIGHTS_WITH_MEANING if with_meaning else WEIGHTS_WITHOUT_MEANING
    bias = BIAS_WITH_MEANING if with_meaning else BIAS_WITHOUT_MEANING
    return bias + sum(w * x for w, x in zip(weights, values))


WRONG_FACT_LEVEL = 0  # the verdict, at most, of a point whose best-matching line states it with a wrong fact
LEVELS = ("missed", "partly", "covered")


def decide(zs: Sequence[float], conflicts: Sequence[bool], singles: Sequence[bool],
           covered_at: float | None = None) -> tuple[int, int]:
    """Which unit decides a point, and the point's level (0 missed, 1 partly, 2 covered).

    The best unit by its level (a conflicting unit never covers), then a single line before a pair,
    then by z. But where the unit that matches the point best of all states it with a wrong number or
    name or the other way round, the claim is there with its key fact wrong: a marker gives it no credit
    however well another line matches (../shared/marking-guide.md). (Ranking units by z before the
    conflicts' penalty was tried: it wiped out too many sound points, 4 points of agreement lost.)"""
    covered_at = COVERED_AT if covered_at is None else covered_at

    def level(j: int) -> int:
        raw = 2 if zs[j] >= covered_at else 1 if zs[j] >= PARTLY_AT else 0
        return min(raw, 1) if conflicts[j] else raw

    best = max(range(len(zs)), key=lambda j: (level(j), singles[j], zs[j]))
    top = max(range(len(zs)), key=lambda j: zs[j])
    if conflicts[top] and zs[top] >= PARTLY_AT and zs[top] >= zs[best]:
        return top, min(level(best), WRONG_FACT_LEVEL)
    return best, level(best)


def similarity_of(z: float) -> float:
    """The unit's z as a share from 0 to 1 (the logistic of its distance from 'covered')."""
    return 1 / (1 + math.exp(-(z - (PARTLY_AT + COVERED_AT) / 2)))


def match_matrix(points: Sequence[str], outline: str, lexicon: Lexicon,
                 similarities: Similarities | None = None) -> tuple[list[Unit], list[list[Match]]]:
    """Every point against every unit of the outline."""
    units = units_of(outline, lexicon)
    if not units:
        return units, [[] for _ in points]
    prepared = [point_terms(p, lexicon) for p in points]
    cosines: Sequence[Sequence[float]] | None = None
    if similarities is not None:
        cosines = _unit_cosines(points, units, similarities)
    line_unit = {u.line: u for u in units if len(u.lines) == 1 and u.text == u.line_text}
    next_line = {a.line: b.line for a, b in zip(list(line_unit.values()), list(line_unit.values())[1:])}
    rows = []
    for i, point in enumerate(prepared):
        row = []
        for j, unit in enumerate(units):
            pair = (line_unit[unit.line], line_unit[next_line[unit.line]]) if len(unit.lines) == 2 else ()
            values = features(point, unit, cosines[i][j] if cosines is not None else None, lexicon, pair)
            conflict = any(values[FEATURES.index(name)] for name in CAPS)
            row.append(Match(values, z_score(values, cosines is not None), conflict))
        rows.append(row)
    return units, rows


def _unit_cosines(points: Sequence[str], units: list[Unit], similarities: Similarities) -> list[list[float]]:
    """Cosines for single-line units from the model; a pair of lines takes the better of its two lines
    and of their mean, so the model runs once per line and sentence, not per pair."""
    texts = list(dict.fromkeys(u.text for u in units if len(u.lines) == 1))
    matrix = similarities(points, texts)
    index = {t: k for k, t in enumerate(texts)}
    out = []
    for row in matrix:
        values = []
        for unit in units:
            if len(unit.lines) == 1:
                values.append(float(row[index[unit.text]]))
            else:
                a, b = (float(row[index[line]]) if line in index else 0.0 for line in unit.lines)
                values.append(max(a, b, (a + b) / 2 * 1.04))
        out.append(values)
    return out
