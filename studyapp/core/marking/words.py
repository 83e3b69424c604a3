"""The words of an outline as the scorer reads them: the students' abbreviations expanded, stop words,
stems, and the country and body names it knows (see studyapp.core.marking)."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

from studyapp.core.grading import canonical_names, fold

# --- the students' abbreviations, expanded before anything is compared ------------------------------
# Acronyms are matched with their case ("WP", not "wp"); the rest ignore case.
# Bodies are compared by their acronyms, one name each: the long forms are folded to them.
_BODIES = {
    "North Atlantic Treaty Organi[sz]ation": "NATO",
    "Western European Union": "WEU",
    "European Defence Community": "EDC",
    "European Coal and Steel Community": "ECSC",
    "European Economic Community": "EEC",
    "Organi[sz]ation for Security and Co-?operation in Europe": "OSCE",
    "Conference on Security and Co-?operation in Europe": "CSCE",
    "North Atlantic Council": "NAC",
    "North Atlantic Co-?operation Council": "NACC",
    "Euro-Atlantic Partnership Council": "EAPC",
    "Partnership for Peace": "PfP",
    "Mediterranean Dialogue": "MD",
    "Istanbul Co-?operation Initiative": "ICI",
    "Afghan National Security Forces": "ANSF",
    "Afghan National Army": "ANA",
    "Afghan National Police": "ANP",
    "Common Foreign and Security Policy": "CFSP",
    "European Security and Defen[cs]e Policy": "ESDP",
    "Common Security and Defen[cs]e Policy": "CSDP",
    "European Defen[cs]e Agency": "EDA",
    "Security and Prosperity Partnership": "SPP",
    "International Security Assistance Force": "ISAF",
    "NATO Training Mission[- ]+Afghanistan": "NTM-A",
    "Permanent Structured Co-?operation": "PESCO",
    "Office for Democratic Institutions and Human Rights": "ODIHR",
    "High Commissioner on National Minorities": "HCNM",
    "Organi[sz]ation for European Economic Co-?operation": "OEEC",
    "Council of Europe": "CoE",
    "Shanghai Co-?operation Organi[sz]ation": "SCO",
    "ASEAN Regional Forum": "ARF",
    "African Union": "AU",
    "Arab League": "LAS",
    "League of Arab States": "LAS",
    "Andean Community": "ANCOM",
    "Caribbean Community": "CARICOM",
    "Representative on Freedom of the Media": "RFoM",
    "Political and Security Committee": "PSC",
    "European Security Strategy": "ESS",
    # bodies known by one name only, listed so that they count as bodies
    "Mercosur": "Mercosur",
    "CARICOM": "CARICOM",
    "ASEANAPOL": "ASEANAPOL",
    "United Nations": "UN",
    "European Union": "EU",
    "European Parliament": "EP",
    # the US departments that share out security assistance
    r"(?:State\s+Dep(?:artmen)?t|Department\s+of\s+State)": "DoS",
    r"(?:Defen[cs]e\s+Dep(?:artmen)?t|Department\s+of\s+Defen[cs]e|Pentagon|DoD)": "DoD",
    # students write "the Commission"; the EU, the EDA or the Council in its place is another body
    "European Commission": "Commission",
    "European Political Community": "EPC",
    "EULEX": "EULEX",
    "Strategic Concepts?": "SC",
    "Warsaw Treaty Organi[sz]ation": "Warsaw Pact",
    # not in the course documents, but a student may put them where the course's bodies belong (Comecon for
    # the Warsaw Pact, NAFTA's successor, the US bank that lends for exports, the lenders and clubs of states)
    "Council for Mutual Economic Assistance": "Comecon",
    "Comecon": "Comecon",
    "USMCA": "USMCA",
    "Export-Import Bank": "Export-Import Bank",
    "World Bank": "World Bank",
    "International Monetary Fund": "IMF",
    "G7": "G7",
    "G8": "G8",
    "G20": "G20",
}
_BODY_NAMES = frozenset(fold(short) for short in _BODIES.values())
_BODY_PATTERNS = [re.compile(rf"(?:the\s+)?{long}", re.IGNORECASE) for long in _BODIES]
# "the" once before all the names (three times faster than before each; the same matches while no name
# begins with "the")
assert not any(long.lower().startswith("the") for long in _BODIES)
_BODY_RE = re.compile(r"\b(?:the\s+)?(?:" + "|".join(_BODIES) + r")\b", re.IGNORECASE)


def _body(m: re.Match) -> str:
    found = m.group()
    return next(short for pattern, short in zip(_BODY_PATTERNS, _BODIES.values()) if pattern.fullmatch(found))


# Abbreviations that are not bodies' names, written out.
_ACRONYMS = {
    "WP": "Warsaw Pact",
    "WTO": "Warsaw Pact",
    "FRG": "West Germany",
    "BRD": "West Germany",
    "GDR": "East Germany",
    "DDR": "East Germany",
    "USSR": "Soviet Union",
    "SU": "Soviet Union",
    "UK": "Britain",
    "GB": "Britain",
    "US": "United States",
    "USA": "United States",
    "IED": "improvised explosive device",
    "IEDs": "improvised explosive devices",
    "SCs": "SC",
    "HQ": "headquarters",
    "MS": "member states",
    "MSs": "member states",
    "SG": "Secretary General",
    "WW2": "Second World War",
    "WWII": "Second World War",
    "WW1": "First World War",
    "WWI": "First World War",
    "PFP": "PfP",
    "FR": "France",
    "IT": "Italy",
    "GER": "Germany",
    "CoE": "Council of Europe",
    "FA": "Final Act",
    "HFA": "Helsinki Final Act",
    "JP": "Japan",
    "PRC": "China",
    "NK": "North Korea",
    "DPRK": "North Korea",
    "SK": "South Korea",
    "ROK": "South Korea",
    "RUS": "Russia",
    "RU": "Russia",
    "Ru": "Russia",
    "UKR": "Ukraine",
    "Ukr": "Ukraine",
    "DK": "Denmark",
    "TR": "Turkey",
    "CSSR": "Czechoslovakia",
    "NZ": "New Zealand",
    # the two-letter codes of the states NATO and the EU took in after the Cold War
    "EE": "Estonia",
    "LV": "Latvia",
    "LT": "Lithuania",
    "BG": "Bulgaria",
    "RO": "Romania",
    "SI": "Slovenia",
    # and other initials students write for the course's names
    "CW": "Cold War",
    "OAE": "Operation Active Endeavour",
    "ERRF": "European Rapid Reaction Force",
    "IPAP": "Individual Partnership Action Plan",
    "IPAPs": "Individual Partnership Action Plans",
    "UNGA": "UN General Assembly",
    "CiO": "Chairman-in-Office",
    "Med": "Mediterranean",
    "RoL": "rule of law",
    "PM": "Prime Minister",
    "FM": "Foreign Minister",
    "FMs": "foreign ministers",
    "Afg": "Afghanistan",
    "AQ": "al-Qaeda",
}
_WORDS = {
    "coop": "cooperation",
    "agmt": "agreement",
    "agmts": "agreements",
    "trg": "training",
    "trng": "training",
    "wk": "week",
    "wks": "weeks",
    "caps": "capabilities",
    "co-op": "cooperation",
    "govt": "government",
    "govts": "governments",
    "gov't": "government",
    "gvt": "government",
    "gov": "government",
    "mil": "military",
    "milit": "military",
    "intl": "international",
    "int'l": "international",
    "natl": "national",
    "econ": "economic",
    "pol": "political",
    "sec": "security",
    "dev": "development",
    "devt": "development",
    "org": "organisation",
    "orgs": "organisations",
    "reps": "representatives",
    "yr": "year",
    "yrs": "years",
    "bc": "because",
    "b/c": "because",
    "bcs": "because",
    "cos": "because",
    "coz": "because",
    "w/": "with",
    "w/o": "without",
    "w/out": "without",
    "wo/": "without",
    "thru": "through",
    "tho": "though",
    "e.g.": "",
    "eg": "",
    "e.g": "",
    "i.e.": "",
    "ie": "",
    "etc": "",
    "etc.": "",
    "esp": "especially",
    "vs": "versus",
    "vs.": "versus",
    "approx": "about",
    "c.": "about",
    "ca.": "about",
    "&": "and",
    "+": "and",
    "->": "so",
    "-->": "so",
    "=>": "so",
    "→": "so",
    "=": "is",
    "w.": "west",
    "e.": "east",
    "art": "article",
    "art.": "article",
    "arts": "articles",
    "min": "minister",
    "mins": "ministers",
    "euro": "european",
    "euros": "europeans",
    "sov": "soviet",
    "soviets": "soviet",
    "america": "united states",
    "washington": "united states",
    "moscow": "soviet union",
    "russia's": "russia",
    "stalin's": "stalin",
    "soc": "social",
    "cult": "cultural",
    "democ": "democratic",
    "dem": "democratic",
    "commie": "communist",
    "commies": "communists",
    "def": "defence",
    "def.": "defence",
    "eur": "european",
    "eur.": "european",
    "coll": "collective",
    "coll.": "collective",
    "cttee": "committee",
    "mgmt": "management",
    "ops": "operations",
    "op": "operation",
    "dipl": "diplomatic",
    "admin": "administration",
    "infra": "infrastructure",
    "tech": "technology",
    "dept": "department",
    "resp": "responsibility",
    "reqd": "required",
    "pop": "population",
    "ctry": "country",
    "ctries": "countries",
    "cntry": "country",
    "int": "international",
    "nat": "national",
    "fin": "financial",
    "agric": "agricultural",
}
_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december"
)
# "Feb '48", "Apr 49", "'91" are years; "in 48" only where no noun follows ("in 48 states" is a count).
_TWO_DIGIT_YEAR = re.compile(
    rf"(\b(?:{_MONTHS})\.?\s*'?|(?<![\w'])')(\d\d)\b(?!\s*%)"
    rf"|(\b(?:in|by|from|until|since)\s+)(\d\d)\b(?!\s*%|\s*[a-z])",
    re.IGNORECASE,
)
# "Kosovo 99", "Prague 02": a place or event and a two-digit year ("Art 17" is an article, "Europe 25" the
# Union of 25)
_NAME_YEAR = re.compile(
    r"\b(?!(?:Art|Arts|Article|Articles|Europe|Assembly|Five|EU|G)\b)([A-Z][a-z]+)\s+(\d\d)\b(?!\s*%)(?!\s*[A-Za-z\d])"
)
_ACRONYM_RE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, _ACRONYMS), key=len, reverse=True)) + r")(?![\w-])"
)
_WORD_RE = re.compile(
    r"(?<![\w/'-])(" + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)) + r")(?![\w/'-])", re.IGNORECASE
)

# Words that carry no claim of their own: grammar, discourse and the verbs of essay writing.
STOPWORDS = frozenset(
    """
a an the and or of in on at to for from by with as its it is was were be been being are this that these those
which who whom whose what when where how their his her they them there here he she we our us you your i me my
after before during into over about than then also both each all some any nor so but if up out off per via
through because however although though yet while whereas whilst since still even very much such other own
only just quite rather instead mainly largely partly really thus therefore hence indeed moreover furthermore
argue argues argued argument claim claims claimed say says said show shows showed shown suggest suggests
note notes noted point points become became has had have having do did does doing would could should will
can may might must shall get got gets make made makes one ones another way ways thing things lot lots well
whether first second third finally overall conclusion assessment intro introduction essay answer question
""".split()
)
# "didnt", "hadnt": denials students write without the apostrophe
_APOSTROPHE_LESS = (
    "didnt hadnt hasnt havent wasnt werent isnt arent dont doesnt cant couldnt wouldnt wont shouldnt".split()
)
_NEGATIONS = frozenset(
    "not no never without neither nor none failed fail fails lack lacked lacking unable "
    "cannot n't refused refuse rejected".split()
) | frozenset(_APOSTROPHE_LESS)
_NOT_NEGATING = re.compile(r"\b(?:not|never)\s+(?:only|just|merely|simply)\b|\bno\s+(?:longer|less|more)\b")
_NEGATING_PREFIXES = ("un", "non", "in", "im", "ir", "il", "dis", "under", "over", "mis")
# Capitalised words that name a kind of thing, not one thing: ordinary words, however they are written.
_GENERIC = frozenset(
    """
treaty treaties report act plan summit conference programme program mission operation operations
organisation organization union community council committee agreement agreements declaration concept
strategy initiative partnership policy force forces agency article articles charter pact alliance alliances
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
north south east west eastern western northern southern central european europe atlantic
""".split()
)
# A name of several capitalised words, such as "Smart Border Accord" or "Council of Europe".
_PHRASE = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of|for)\s+[A-Z][\w'-]*|\s+[A-Z][\w'-]*)+")
_TOKEN = re.compile(r"\d[\d,.]*\d(?:'?s\b)?|\d(?:'?s\b)?|[^\W\d_]+(?:['-][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=\w\w[.!?;:])\s+|(?<=[)\]'\"][.!?;:])\s+|\s+(?:-{1,2}|–|—)\s+")
_BULLET = re.compile(r"^\s*(?:[-*•>·]+|\d+[.)]|[a-z][.)])\s+", re.IGNORECASE)
_LOCAL = threading.local()  # snowballstemmer's stemmers keep state: one per thread

# Names of the same kind: a unit that gives another of the kind where the point's own is absent
# names a wrong one. Countries are listed here; organisations and treaties come from the decks.
COUNTRIES = frozenset(
    fold(c)
    for c in """
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
""".split()
)
# People the course names, and others a student may put in their stead, and the seas and regions it names:
# a person named where the point names another states the point with the wrong person (Adenauer for
# Monnet), a sea or region where it names another the wrong place (the Baltic for the Mediterranean).
# Cities are left out: an outline names cities in passing (the Spaak Committee "in Brussels", "Treaties
# of Rome") where the point names another (Messina), and counting them cost sound points on the fit data.
PEOPLE = frozenset(
    fold(p)
    for p in """
Acheson Adenauer Albright Alcaro Annan Attina Aybet Bech Bevin Beyen Blair Brezhnev Bush Calderon Carter
Chirac Chretien Churchill Clinton Dulles Eden Eisenhower Farrell Flemes Flockhart Fox Gaddafi Gates Gaulle
Giegerich Gorbachev Griffith Haacke Harper Herz Jacome Karzai Kennedy Keohane Khrushchev Klingebiel Kohl
Kreps Marrone Martin McChrystal McKiernan Mendes Merkel Molling Monnet Moller Nagy Naumann Obama Petraeus
Pleven Putin Rasmussen Reagan Robertson Rumsfeld Sarkozy Scheffer Schuman Solana Spaak Sridharan Stalin
Stoltenberg Thatcher Tilly Tito Trine Truman Witney Yeltsin Cheney Dubcek Rynning Daalder Economides
Ghemawat Mazarr Reynolds Syren Hallams Ringsmose Kamp Stavridis Buzan Panetta Hagel Powell Kissinger Ismay
Worner Ashton Mogherini Delors Mitterrand
""".split()
)
PLACES = frozenset(
    fold(p)
    for p in """
Baltic Mediterranean Caucasus Caribbean Balkans Gulf Arctic Atlantic Pacific Adriatic Aegean Sahel
""".split()
)
_COUNTRY_FORMS = {
    "czech": "czechoslovakia",
    "british": "britain",
    "french": "france",
    "german": "germany",
    "italian": "italy",
    "greek": "greece",
    "polish": "poland",
    "turkish": "turkey",
    "dutch": "netherlands",
    "spanish": "spain",
    "russian": "russia",
    "israeli": "israel",
    "latvian": "latvia",
    "lithuanian": "lithuania",
    "estonian": "estonia",
    "afghan": "afghanistan",
    "canadian": "canada",
    "mexican": "mexico",
    "chinese": "china",
    "japanese": "japan",
    "hungarian": "hungary",
    "romanian": "romania",
    "bulgarian": "bulgaria",
    "norwegian": "norway",
    "danish": "denmark",
    "portuguese": "portugal",
    "belgian": "belgium",
    "indian": "india",
    "australian": "australia",
    "korean": "korea",
    "ukrainian": "ukraine",
    "georgian": "georgia",
    "serbian": "serbia",
    "swedish": "sweden",
    "finnish": "finland",
    "austrian": "austria",
    "swiss": "switzerland",
    "irish": "ireland",
    "pakistani": "pakistan",
    "iranian": "iran",
    "iraqi": "iraq",
    "syrian": "syria",
    "libyan": "libya",
    "egyptian": "egypt",
    "moroccan": "morocco",
    "tunisian": "tunisia",
    "algerian": "algeria",
    "jordanian": "jordan",
    "kazakh": "kazakhstan",
    "uzbek": "uzbekistan",
    "tajik": "tajikistan",
    "kyrgyz": "kyrgyzstan",
    "mongolian": "mongolia",
    "brazilian": "brazil",
    "slovak": "slovakia",
    "slovenian": "slovenia",
    "croatian": "croatia",
    "albanian": "albania",
    "yugoslav": "yugoslavia",
}


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
_DIGIT = re.compile(r"\d")
_THOUSANDS = re.compile(r"\b(\d{1,3})k\b", re.IGNORECASE)
# "the 18th c." is the 1700s; "3/4 of spending" is 75% of it too (not a date: "9/11", "24/7")
_CENTURY = re.compile(r"\b(1[0-9]|20)(?:st|nd|rd|th)\s*(?:c\b\.?|cent\b\.?|century)", re.IGNORECASE)
_FRACTION = re.compile(r"(?<![\w./])([1-9])/([2-9]|10)(?![\w./])")


# "about half of", "by a quarter", "two-thirds": a share in words is a percentage too ("75%" is no half).
# Not "the first half of the 1990s", nor "a third core task".
_SHARE_WORD = re.compile(
    r"(?<!\bfirst )(?<!\bsecond )(?<!\bother )(?<!\blatter )"
    r"\b(two[- ]thirds|three[- ]quarters|halved"
    r"|(?:(?:a|one|by|about|roughly|around|nearly|almost|over|under|than|only|just|some|~)\s+)*half"
    r"|(?:(?:by|about|roughly|around|nearly|almost|over|under|than|only|just|some|~)\s+)*(?:a|one)\s+(?:quarter|third))"
    r"(?=\s+(?:of|the|in|over|since|after|within|between|from|by)\b|\s*(?:[,;:.)/+]|->|=>|$))",
    re.IGNORECASE,
)
# "about a year" is a length of time: "about three years" (or months) for it is a count got wrong. Not "a year
# later" or "twice a year".
_ONE_SPAN = re.compile(
    r"\b(about|some|roughly|around|nearly|almost|over|under|within|for|only|just|~)\s+(?:a|one)\s+(year|month|decade)\b",
    re.IGNORECASE,
)
_SHARE_PERCENT = {"half": 50, "halved": 50, "quarter": 25, "third": 33, "thirds": 67, "quarters": 75}


def _share_word(m: re.Match) -> str:
    last = re.split(r"[\s-]+", m.group(1).lower())[-1]
    return f"{m.group()} ({_SHARE_PERCENT[last]}%)"


def _share(m: re.Match) -> str:
    top, bottom = int(m.group(1)), int(m.group(2))
    # both readings stay: "4/6 GCC states" is four of six
    return f"{m.group()} ({round(100 * top / bottom)}%)" if top < bottom else m.group()


def _span(m: re.Match) -> str:
    end = int(m.group(2))
    start = end // 100 * 100 + int(m.group(1))
    return f"{start if start <= end else start - 100}-{end}"


def _century(digits: str) -> str:
    """A two-digit year in full: the course runs from the 1940s to the 2020s."""
    return ("19" if int(digits) > 30 else "20") + digits


def _full_year(m: re.Match) -> str:
    lead, digits = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
    return lead.replace("'", "").rstrip() + " " + _century(digits)


@lru_cache(maxsize=20_000)
def expand(text: str) -> str:
    """The outline or point with students' abbreviations and short years written out."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    # "GER->EUPOL", "soc/cult": arrows and slashes between words separate them
    text = _GLUED.sub(lambda m: f" {m.group()} ", text)
    # Each of these forms needs a digit, a share's word or a length of time: a text without one is passed
    # over (half an outline's lines have no digit; 82 instead of 116 us a line).
    if _DIGIT.search(text):
        text = _TWO_DIGIT_YEAR.sub(_full_year, text)
        text = _NAME_YEAR.sub(lambda m: f"{m.group(1)} {_century(m.group(2))}", text)
        text = _YEAR_SPAN.sub(_span, text)
        text = _ZERO_YEAR.sub(lambda m: "200" + (m.group(1) or m.group(2)), text)
        text = _THOUSANDS.sub(lambda m: m.group(1) + "000", text)
        text = _CENTURY.sub(lambda m: f"{int(m.group(1)) - 1}00s", text)
        text = _FRACTION.sub(_share, text)
    lower = text.lower()
    if "half" in lower or "halv" in lower or "third" in lower or "quarter" in lower:
        text = _SHARE_WORD.sub(_share_word, text)
    if "year" in lower or "month" in lower or "decade" in lower:
        text = _ONE_SPAN.sub(r"\1 1 \2", text)
    text = _ACRONYM_RE.sub(lambda m: _ACRONYMS[m.group(1)], text)
    text = _WORD_RE.sub(lambda m: " " + _WORDS[m.group(1).lower()] + " ", text)
    text = _BODY_RE.sub(_body, text)
    return canonical_names(text)


# Other forms of a name, folded to the one the scorer compares
_NAME_FORMS = {
    "soviet": "ussr",
    "soviets": "ussr",
    "moscow": "ussr",
    "america": "us",
    "american": "us",
    "washington": "us",
    "british": "uk",
    "britain": "uk",
    "england": "uk",
    "london": "uk",
    "french": "france",
    "paris": "france",
    "german": "germany",
    "bonn": "germany",
    "frg": "germany",
    "italian": "italy",
    "afghan": "afghanistan",
    "kabul": "afghanistan",
    "afg": "afghanistan",
    "teu": "maastricht",  # the Treaty on European Union is the Maastricht Treaty
    "nato's": "nato",
    "allied": "allies",
    "eu's": "eu",
    "un's": "un",
}


# Terms of one kind that stand for one another in a wrong fact, like names of one kind: a line that gives
# another of a group where the point gives one ("collective security" for collective defence, the army for
# the police, "a year" for a month) states the point with its key term wrong. Each alternative is one
# pattern over the expanded text.
ALTERNATIVES: tuple[tuple[re.Pattern[str], ...], ...] = tuple(
    tuple(re.compile(rf"\b(?:{alt})\b", re.IGNORECASE) for alt in group)
    for group in (
        # the security tasks the course sets side by side
        (r"collective\s+defen[cs]e", r"collective\s+security", r"co-?operative\s+security", r"crisis\s+management"),
        # the two Afghan forces
        (r"ANA|(?:national\s+)?army|soldiers?|armed\s+forces", r"ANP|police(?:men)?|policing"),
        # the two world wars ("after WWI" is not "after WWII")
        (r"first\s+world\s+war", r"second\s+world\s+war"),
        # the treaties the course names ("the Treaty of Nice" took over nothing the Lisbon Treaty did)
        (
            *(
                rf"(?:treat(?:y|ies)\s+of\s+{place}|{place}\s+treat(?:y|ies))"
                for place in r"(?:washington|north\s+atlantic) brussels dunkirk rome maastricht amsterdam nice lisbon".split()
            ),
            # ... and the other founding texts it names
            r"(?:helsinki\s+)?final\s+act",
            r"charter\s+of\s+paris|paris\s+charter",
            r"CFE(?:\s+treaty)?|conventional\s+(?:armed\s+)?forces\s+in\s+europe",
            r"founding\s+act",
        ),
        # the month of a dated event ("Messina, July 1955" for June 1955): a month with its year
        tuple(
            rf"{month}\.?\s*,?\s*'?(?:\d{{4}}|\d{{2}})(?!\d)"
            for month in "jan(?:uary)? feb(?:ruary)? mar(?:ch)? apr(?:il)? may jun(?:e)? jul(?:y)? aug(?:ust)? "
            "sep(?:t|tember)? oct(?:ober)? nov(?:ember)? dec(?:ember)?".split()
        ),
        # how often: "6,000 a month" is not "6,000 a year"
        (
            r"(?:a|per|each|every|/)\s*month|monthly",
            r"(?:a|per|each|every|/)\s*year|annually|yearly",
            r"(?:a|per|each|every|/)\s*week|weekly",
        ),
        # ... and how many times a year: the WEU Assembly met twice a year, not once
        (
            r"once\s+(?:a|per|each|every)\s+year|annual(?:ly)?|yearly",
            r"(?:twice|two\s+(?:times|sessions|meetings))\s+(?:a|per|each|every)\s+year|(?:bi|semi)-?annual(?:ly)?",
        ),
        # the WEU's grades of membership
        (
            r"full\s+members?(?:hip)?",
            r"associate\s+members?(?:hip)?",
            r"associate\s+partners?(?:hip)?",
            r"observers?(?:\s+status)?",
        ),
    )
)


# Each group's alternatives as one pattern: a text that gives none of them is passed over in one search
# (most lines; half the time of searching for each alternative).
_ANY_ALTERNATIVE = tuple(
    re.compile(
        r"\b(?:" + "|".join(pattern.pattern.removeprefix(r"\b(?:").removesuffix(r")\b") for pattern in group) + r")\b",
        re.IGNORECASE,
    )
    for group in ALTERNATIVES
)


def alternatives_in(text: str) -> set[tuple[int, int]]:
    """(group, alternative) of each alternative the expanded text gives."""
    return {
        (g, a)
        for g, group in enumerate(ALTERNATIVES)
        if _ANY_ALTERNATIVE[g].search(text)
        for a, pattern in enumerate(group)
        if pattern.search(text)
    }
