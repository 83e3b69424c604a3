"""The essay scorer, measured against outlines marked by hand, and its rules one by one.

The marked outlines (tests/data/marked_outlines.json) were written as students write them and marked
point by point by a marker who never saw the scorer. Only prompts whose split is "heldout" are used
here; the "fit" prompts tuned the model (bench/fit_essay_scorer.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from studyapp.core.essays import KeyPoint, deck_lexicon, score_outline
from studyapp.core.marking import expand, reversed_claim, terms
from studyapp.core.marking.model import _hits, point_terms, units_of, word_matches
from studyapp.deck_files import load_decks

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def lexicon():  # noqa: ANN201
    return deck_lexicon(load_decks([ROOT / "decks"]).decks)


@pytest.fixture(scope="module")
def meaning():  # noqa: ANN201
    from studyapp.meaning import shared_model

    return shared_model().load().similarities


def test_the_marked_data_is_what_the_marking_guide_asks_for() -> None:
    from essay_scoring import marked_data

    data = marked_data()
    outlines = data["outlines"]
    assert len(outlines) >= 150
    assert len(data["prompts"]) >= 16
    held = {k for k, p in data["prompts"].items() if p["split"] == "heldout"}
    assert len(held) >= 4 and len(data["prompts"]) - len(held) >= 16
    assert {"complete", "partial", "off-topic", "wrong-facts"} == {o["kind"] for o in outlines}
    for o in outlines:
        assert len(o["marks"]) == len(data["prompts"][o["prompt"]]["points"])
        assert set(o["marks"]) <= {"covered", "partly", "missed"}
    exam = {"nato", "warsaw_pact", "weu", "edc", "osce", "spp", "ntm_a"}
    assert exam <= {k.split("/")[0] for k in data["prompts"]}


def test_agreement_with_the_marker_on_held_out_prompts(lexicon, meaning) -> None:  # noqa: ANN001
    from essay_scoring import evaluate

    figures = evaluate("heldout", meaning, lexicon)
    # Floors just under the level measured on the held-out rounds T and U (README, "Essay scoring": 85.4%
    # agreement, kappa 0.70, complete outlines 85%, no off-topic outline above 0%, 34% of wrong facts counted
    # covered; 40% without the model), so that a change that makes marking worse fails here. One of the targets is not
    # reached there: at most 10% of wrong facts counted covered.
    assert figures["agreement"] >= 0.83, figures
    assert figures["kappa"] >= 0.66, figures
    assert figures["complete_mean"] >= 0.82, figures
    assert figures["off_topic_max"] <= 0.15, figures
    assert figures["wrong_fact_covered"] <= 0.41, figures


@pytest.mark.parametrize("text,expected", [
    ("Feb '48 coup", "Feb 1948 coup"),
    ("Apr 49: treaty", "Apr 1949: treaty"),
    ("by '91 gone", "by 1991 gone"),
    ("in 48 states", "in 48 states"),  # a count, not a year
    ("SSR since 02 failed", "SSR since 2002 failed"),  # no count is written with a leading zero
    ("McChrystal mid-09", "McChrystal mid-2009"),
    ("WEU 55-2011", "WEU 1955-2011"),
    ("goal 352k ANSF", "goal 352000 ANSF"),
    ("0.5% of GDP", "0.5% of GDP"),
    ("since the 18th c.", "since the 1700s"),  # a century is a time
    ("~3/4 of spending", "~3/4 (75%) of spending"),  # a fraction is also a share
    ("after 9/11", "after 9/11"),
    ("forces down by about a quarter / CFI", "forces down by about a quarter (25%) / CFI"),  # a share in words
    ("down by a quarter over two decades", "down by a quarter (25%) over two decades"),
    ("roughly half of all spending", "roughly half (50%) of all spending"),
    ("the first half of the 1990s", "the first half of the 1990s"),  # a time, not a share
    ("a third core task", "a third core task"),
    ("Kosovo 99 -> gaps", "Kosovo 1999 so gaps"),  # a place or event and its year
    ("Hungary 56, Czech 68", "Hungary 1956, Czech 1968"),
    ("Art 17 TEU", "article 17 TEU"),  # an article's number stays a number
    ("Europe 25", "Europe 25"),
    ("basic trg cut to 8 wks", "basic training cut to 8 weeks"),
    ("spent about a year weighing it", "spent about 1 year weighing it"),  # a length of time is a count
    ("a year later", "a year later"),
])
def test_short_years_are_read_as_years(text: str, expected: str) -> None:
    assert " ".join(expand(text).split()) == expected


def test_abbreviations_and_plurals_match_the_full_words(lexicon) -> None:  # noqa: ANN001
    points = [KeyPoint("The Warsaw Pact answered West Germany's entry into NATO.")]
    score = score_outline(points, "WP = reply to FRG joining NATO", lexicon)
    assert score.results[0].status == "covered"


def test_a_sentence_initial_word_is_not_a_name(lexicon) -> None:  # noqa: ANN001
    kinds = {t.text: t.kind for t in terms("Critics say the alliance lacked purpose. Yet it survived.", lexicon)}
    assert "critics" not in kinds and "yet" not in kinds  # a discourse word, not a name to match exactly
    assert {t.kind for t in terms("Rumsfeld warned the allies", lexicon) if t.text == "rumsfeld"} == {"name"}


POINT_1948 = KeyPoint("The Berlin Blockade began in June 1948 and was answered by a Western airlift.")


def test_a_wrong_year_cannot_cover_even_with_the_right_day(lexicon) -> None:  # noqa: ANN001
    point = KeyPoint("The Berlin Blockade began on 24 June 1948.")
    wrong = score_outline([point], "Berlin Blockade began 24 June 1947", lexicon)
    right = score_outline([point], "Berlin Blockade began 24 June 1948", lexicon)
    assert wrong.results[0].status != "covered"
    assert right.results[0].status == "covered"


def test_a_neighbouring_line_does_not_lend_its_year(lexicon) -> None:  # noqa: ANN001
    blockade = "- Berlin Blockade began, answered by a Western airlift"
    with_year = score_outline([POINT_1948], f"- Czech coup 1948\n{blockade}", lexicon).results[0]
    without = score_outline([POINT_1948], f"- Czech coup\n{blockade}", lexicon).results[0]
    assert (with_year.status, with_year.score, with_year.line) == (without.status, without.score, 2)
    wrong = score_outline([POINT_1948], "- Berlin Blockade began June 1947, Western airlift\n- coup 1948", lexicon)
    assert wrong.results[0].status != "covered"


def test_a_count_of_another_order_is_another_claims_figure(lexicon) -> None:  # noqa: ANN001
    point = KeyPoint("Europe has thirteen aircraft and eight ship makers against twelve and four in the US.")
    line = "Europe 13 aircraft makers vs 12 in the US; >90% of output from a few big producers"
    result = score_outline([point], line, lexicon).results[0]
    assert result.status != "missed" and not result.wrong
    # ... but a figure with a zero too many is the point's figure miscopied
    troops = KeyPoint("EU leaders endorsed battle groups of 1,500 troops in June 2004.")
    assert score_outline([troops], "June 2004: EU leaders endorse battle groups of 15,000 troops",
                         lexicon).results[0].status != "covered"


@pytest.mark.parametrize("point,line", [
    ("In 1960 its social and cultural work passed to the Council of Europe.",
     "1960: social + cultural tasks passed to the OEEC"),
    ("In 1954 the treaty was widened to take in West Germany and Italy.",
     "1954 treaty widened to take in W. Germany and Spain"),
    # the United States is a name however it is written
    ("The Pact partly answered the concerns about the USA that NATO's founding had raised.",
     "Pact partly a reply to fears about Britain after NATO's founding"),
    # the course's paired terms stand for each other
    ("In the 2010 Strategic Concept collective defence is still a core task.",
     "2010 Strategic Concept: collective security still a core task"),
    ("NTM-A turned out about 6,000 soldiers a month.", "NTM-A: about 6,000 soldiers a year"),
    # a number written as a word is a number
    ("Around eighty percent of NATO's partnership activities are military.",
     "about 40% of NATO partnership activities military"),
    # a country is a name even where the decks write it in lower case ("nato-russia")
    ("Japan was the most reluctant of the six participants.", "Russia the most reluctant of the six participants"),
    # the two world wars are a pair
    ("Security assistance took its present form after the Second World War.",
     "sec assistance took present form after WWI"),
    # a person for another person, wherever the line puts him
    ("Monnet's answer was to run Europe's defence supranationally, as the Schuman proposal had done for coal.",
     "Adenauer proposes the supranational answer: common European defence on the Schuman coal model"),
    ("On taking command in June 2009 McChrystal introduced embedded partnering with the ANSF.",
     "Petraeus, on taking ISAF command in June 2009, brought in embedded partnering w/ ANSF"),
    # a sea or region for another
    ("Operation Active Endeavour in the Mediterranean was an Article 5 anti-terrorism mission after 9/11.",
     "Active Endeavour: Art 5 anti-terror naval mission in the Baltic Sea after 9/11"),
    # a treaty for another treaty, however it is written
    ("The Lisbon Treaty, in force in 2009, took over the WEU's mutual defence clause.",
     "Treaty of Nice took over WEU mutual defence clause (2009)"),
    # a person the course cites for another
    ("Sten Rynning expected a 'rush to exit' from Afghanistan by exhausted allies.",
     "Rasmussen expected exhausted allies to rush to exit Afghanistan"),
    # another month of the same year
    ("The Six met at the Messina Conference in June 1955 to relaunch integration.",
     "Messina Conference, July 1955: the Six relaunch integration"),
    # a country where the point names another, though the point's own is named elsewhere in the line
    ("Only Kazakhstan took part in the Individual Partnership Action Plan launched at Prague in 2002.",
     "Kazakhstan, Uzbekistan, Kyrgyzstan all PfP / Prague 2002: IPAP, but only Uzbekistan took part"),
    ("The 1956 and 1968 crises involved Hungary and Czechoslovakia, and Algeria, a Dialogue partner, turned hostile.",
     "crises in Hungary 1956 + Czechoslovakia 1968, Algeria too; Morocco, a Dialogue partner, turned hostile"),
    # ... named with "'s", and in the line by a short form elsewhere
    ("The OSCE helped guard Kyrgyzstan's border with China against arms smuggling.",
     "OSCE guarded Kazakhstan's border w/ China vs arms smuggling; members incl. Kaz, Kyrg, Uzb"),
    # a body a student may put in the Pact's place
    ("The Soviet bloc answered West Germany's entry into NATO within days with the Warsaw Pact.",
     "Soviet bloc replies to FRG joining NATO within days by founding COMECON"),
    # an EU body for another, and a US defence secretary for another
    ("Only the European Commission can set the rules of a European defence market; NATO cannot legislate.",
     "only the EDA can set rules for the European defence market, NATO can't legislate"),
    ("NTM-A trained the Afghan police together with EUPOL Afghanistan.", "NTM-A trained Afghan police jointly w/ EULEX"),
    ("The SPP built on the successes of NAFTA and the Smart Border Accord.",
     "SPP built on the Smart Border Accord + the successes of the USMCA"),
    # a founding text for another
    ("Europe's partnership rests on the Helsinki Final Act and the 1990 Charter of Paris.",
     "Europe's partnership: Helsinki FA + CFE Treaty 1990"),
    ("Robert Gates warned in 2011 that future US leaders might not think NATO worth the cost.",
     "Panetta's 2011 farewell: future US leaders may find NATO not worth the cost"),
    # a length of time for another
    ("The Spaak Committee spent about a year weighing a general common market against sectoral integration.",
     "Spaak Committee worked for about three months on general common market vs sectoral integration"),
    # a share in words for another share
    ("Capabilities and force levels fell by half in twenty years.", "capabilities + forces down by a quarter in 20 yrs"),
    # two names given each other's share of the army and the police
    ("From 2002 the US trained the army and Germany the police, which bred recriminations.",
     "2002: Germany trained the ANA, the US the police -> recriminations"),
    ("From 2002 the US trained the army and Germany the police, which bred recriminations.",
     "Police. 2002 split (Germany -> ANA; US, later EUPOL -> ANP) -> recriminations"),
    # ... in the part of the line that says the point, though the line names the police elsewhere
    ("Partnering worked less well with the police, whose malpractices had been left in place in 2002.",
     "FDD courses for the police -> gains didn't last / partnering weaker with the ANA, bc its malpractices "
     "were kept in 2002"),
    # the armed forces for the police
    ("Mercosur's members let their federal police carry out common operations against transnational crime.",
     "Mercosur: members' armed forces now run common operations vs transnational crime"),
    # the US departments swapped
    ("Control lies with the State Department, while the Defense Department administers the programmes.",
     "DoD has control, while the State Dept administers the programmes"),
    # how many times a year, and the WEU's grades of membership
    ("The WEU Assembly met in Paris at least twice a year.", "WEU Assembly: met in Paris about once a year"),
    ("The WEU Assembly met in Paris at least twice a year.", "WEU Assembly held annual sessions in Paris"),
    ("Austria and Ireland had observer status in the WEU.", "Austria, Ireland = associate members of the WEU"),
    ("Seven associate partners, such as Estonia, Latvia and Lithuania, were linked to the WEU.",
     "Estonia, Latvia, Lithuania among the WEU's 7 observers"),
    # another country's adjective where the point gives one, though the line names that country elsewhere
    ("The Schuman Plan proposed one authority over French and West German coal and steel, as the US pressed "
     "for West German rearmament.",
     "US presses for rearming West Germany; Schuman Plan: one authority for French and Italian coal + steel"),
    # a conference in another capital (London, like Bonn and Paris, stands for its country)
    ("Inteqal was set out at the London (January 2010) and Kabul (July 2010) conferences.",
     "Inteqal agreed at the Bonn (2001) and Kabul (July 2010) conferences"),
    # two names of one kind given what the point says of the other
    ("The SCO opened a secretariat in Beijing and an anti-terrorism centre in Tashkent.",
     "SCO: secretariat in Tashkent + anti-terror centre in Beijing"),
    ("Indonesia is the largest member and Singapore the strongest economy, so no one state looks threatening.",
     "members strong in different ways: Singapore the largest, Indonesia the economic heavyweight -> no one threatening"),
    ("The Soviet Union crushed Hungary's revolt in 1956, and Pact forces jointly invaded Czechoslovakia in 1968.",
     "Hungary 1956 = joint invasion by Pact forces; Czechoslovakia 1968 crushed by the Soviet Union"),
    # ... and a name as a heading over what the line says of it
    ("The EDC would have put a European army under a supranational authority, whereas the WEU was run by a "
     "Council of its members' foreign and defence ministers.",
     "EDC: European army with German units, run by a council of the members' foreign & defence ministers; "
     "WEU: placed under a supranational authority"),
])
def test_a_substituted_name_or_term_cannot_cover(lexicon, point: str, line: str) -> None:  # noqa: ANN001
    assert score_outline([KeyPoint(point)], line, lexicon).results[0].status != "covered"


def test_the_right_name_covers(lexicon) -> None:  # noqa: ANN001
    point = KeyPoint("In 1960 its social and cultural work passed to the Council of Europe.")
    assert score_outline([point], "1960: social + cultural tasks passed to the Council of Europe",
                         lexicon).results[0].status == "covered"
    # each name with its own share, however the line sets them out
    split = KeyPoint("From 2002 the US trained the army and Germany the police, which bred recriminations.")
    for line in ("2002: US trained the ANA, Germany the police -> recriminations",
                 "Police. 2002 split (US -> ANA; Germany, later EUPOL -> ANP) -> recriminations"):
        assert score_outline([split], line, lexicon).results[0].status == "covered", line
    founded = KeyPoint("Europe's partnership rests on the Helsinki Final Act and the 1990 Charter of Paris.")
    assert score_outline([founded], "Europe's partnership: Helsinki FA + Paris Charter 1990",
                         lexicon).results[0].status == "covered"
    # the right grade and frequency; each name with what is said of it, however the line sets them out;
    # names listed together share what is said of them
    for point, line in (
        ("The WEU Assembly met in Paris at least twice a year.", "WEU Assembly: met in Paris, two sessions a year"),
        ("Austria and Ireland had observer status in the WEU.", "Austria + Ireland were WEU observers"),
        ("Control lies with the State Department, while the Defense Department administers the programmes.",
         "control: Department of State; the Pentagon administers the programmes"),
        ("The SCO opened a secretariat in Beijing and an anti-terrorism centre in Tashkent.",
         "SCO: Beijing got the secretariat, and an anti-terror centre opened in Tashkent"),
        ("At the talks Russia settled for a marginal role, while Japan was the least committed.",
         "Russia: marginal role; Japan: least committed"),
        ("Portugal and Spain joined in 1990, raising the number of full members, and Greece in 1995.",
         "full members grew when Spain and Portugal joined 1990, Greece 1995"),
        ("The Inteqal ('transition' in Dari and Pashtu) framework phased the handover.",
         "Inteqal framework (Dari/Pashtu word for transition) phases the handover"),
        ("Operation Artemis (2003) was a French-led military operation in Bunia that helped the UN mission "
         "MONUC stabilise the area.",
         "Operation Artemis 2003 in Bunia, DR Congo: led by France, helped the UN mission MONUC stabilise the area"),
        ("Partnering worked less well with the police, whose malpractices had been left in place in 2002.",
         "partnering worked with the ANA / weaker with the police, bc its malpractices were kept in 2002"),
        ("Inteqal was set out at the London (January 2010) and Kabul (July 2010) conferences.",
         "Inteqal: set out at the conferences in London (Jan 2010) and Kabul (July 2010)"),
        ("The EDC would have put a European army under a supranational authority, whereas the WEU was run by a "
         "Council of its members' foreign and defence ministers.",
         "EDC: European army with German units, under a supranational authority; WEU: run by a council of the "
         "members' foreign & defence ministers"),
    ):
        assert score_outline([KeyPoint(point)], line, lexicon).results[0].status == "covered", line
    # "the Commission" is the European Commission, not a body the EU stands in for
    market = KeyPoint("Only the European Commission can set the rules of a European defence market; NATO cannot legislate.")
    assert score_outline([market], "only the Commission can set rules for the EU defence market, NATO can't legislate",
                         lexicon).results[0].status == "covered"


@pytest.mark.parametrize("point,line", [
    # the students' abbreviations of countries
    ("Japan was the most reluctant of the six participants.", "JP most reluctant of the 6 participants"),
    ("The talks set out to dismantle North Korea's nuclear programme.", "talks meant to dismantle DPRK nuke programme"),
    # an abbreviation the course does not know as a body's name is not another body ("HGs": headline goals)
    ("In its 2008 declaration the EU admitted that the earlier headline goals had been missed.",
     "2008 declaration admits earlier HGs missed"),
    # a short form and a longer form of one name; the Security Council for the UN
    ("Low spenders Denmark and the Netherlands deployed heavily while Turkey held back.",
     "DK + NL spend little but deploy a lot; TR held back"),
    ("Germany abstained at the UN over the Libya resolution.", "Germany abstained in the SC on Libya"),
    # the new members' two-letter codes; an operation by its initials
    ("Estonia, Latvia and Lithuania became associate partners.", "assoc. partners: EE, LV, LT"),
    ("Only Israel and Morocco took part in Operation Active Endeavour in the Mediterranean.",
     "only Israel + Morocco active in OAE (Med)"),
    # NZ
    ("Tailored Cooperation Packages went to Australia, New Zealand, Japan and South Korea in 2008.",
     "2008 Tailored Cooperation Packages: Aus, NZ, Japan, S Korea"),
    # the OSCE's media representative; Moscow for Russia after 1991; "UN-authorised" names the UN only
    ("Its institutions include the High Commissioner on National Minorities and the Representative on Freedom "
     "of the Media.", "institutions: HCNM + RFoM"),
    ("After Libya, Russia and China deadlocked the Security Council over Syria, making UN-authorised NATO action "
     "unlikely.", "after Libya Moscow + China block the UNSC over Syria -> no UN-mandated NATO action"),
    # the Treaty on European Union is the Maastricht Treaty
    ("The TEU of 1992 promised a common defence policy, to be framed eventually.",
     "Maastricht 1992: CFSP, eventual framing of a common defence policy"),
    # a name by its initials; the prime minister; Afghanistan and al-Qaeda shortened
    ("ISAF countries were exhausted, and Sten Rynning judged a substantial and ambitious Enduring Partnership "
     "unlikely.", "allies exhausted -> Rynning: big ambitious EP unlikely"),
    ("On 24 October 1950 the French Prime Minister Rene Pleven put the plan to the National Assembly.",
     "24 Oct 1950 PM Pleven presents the plan to the National Assembly"),
    ("In May 2012 the US signed a bilateral Enduring Strategic Partnership Agreement letting US forces stay until "
     "2024 to train the ANSF and target al-Qaeda.",
     "US-Afg Strategic Partnership Agmt May 2012 -> US forces can stay till 2024 (train ANSF, hit AQ)"),
])
def test_abbreviations_are_not_substituted_names(lexicon, point: str, line: str) -> None:  # noqa: ANN001
    assert score_outline([KeyPoint(point)], line, lexicon).results[0].status == "covered"


def test_a_name_shortened_in_a_list_is_the_name(lexicon) -> None:  # noqa: ANN001
    point = point_terms("The USSR signed with Albania, Bulgaria, Czechoslovakia, Hungary and Romania.", lexicon)
    line = units_of("USSR + Alb, Bulg, CSSR, Hun, Rom", lexicon)[0]
    hits = _hits(point, line, word_matches([point], [line]))
    assert {t.text for t, hit in zip(point.terms, hits) if t.kind == "name" and not hit} == set()


@pytest.mark.parametrize("point,line", [
    # a clause about the same thing, denied on one side only
    ("The CSCE worked through regular conferences and consensus, without a permanent secretariat.",
     "worked through conferences and consensus; had a permanent secretariat in Vienna from the start"),
    ("Formalisation brought the OSCE no gain in legal or political stature.",
     "formalisation greatly boosted its legal and political stature"),
    ("Interest among the partners in the exercises was strong.", "weak interest among partners in the exercises"),
    # an opposite word
    ("US leaders quickly agreed to join talks with European allies.", "US slow to agree to talks with the allies"),
    ("Enlargement has made NATO more unwieldy.", "enlargement made NATO more agile"),
    ("The Pact gave the Soviets tighter control of Eastern Europe's communist states.",
     "the Pact limited Soviet control over the other communist states of E. Europe"),
    # a change turned round
    ("PfP partners moved from consuming security to producing it.", "PfP partners went from producing security to consuming it"),
    ("The EU moved from consensus to majoritarian decision-making.",
     "EU moved away from majority votes towards consensus so every state keeps its veto"),
    ("The transfer directive replaced individual licences with general licences.",
     "transfer directive: general licences scrapped in favour of individual licences"),
    # two names' roles swapped
    ("In 2002 the US trained the army while Germany trained the police.", "2002: Germany trained the army, US the police"),
    ("Many Europeans joined ISAF mainly to keep the US committed to Europe.",
     "the US stayed in ISAF mainly to keep the Europeans committed"),
    # ... the name heading its line ("France: ...")
    ("Britain backed the common market plan at once, whereas France rejected the supranational army.",
     "France: backed the common market plan at once"),
    # two numbers swapped
    ("NTM-A was turning out 6,000 soldiers and 4,000 police officers a month.",
     "~4,000 soldiers and 6,000 police officers trained a month"),
    ("Portugal and Spain joined the WEU in 1990 and Greece in 1995.", "Portugal and Greece joined in 1990, Spain followed 1995"),
    ("The WEU had six associate members and five observers.", "WEU: 6 observers, 5 associate members"),
    ("Eight-week courses produced about 6,000 soldiers and 4,000 police a month.",
     "8 weeks training -> about 6,000 police and 4,000 soldiers a month"),
    # a change in figures run the other way
    ("At Chicago the ANSF goal of 352,000 was cut to 228,500.", "Chicago raised the ANSF goal from 228,500 to 352,000"),
    # an opposite word of how it was done
    ("In 1968 Pact forces jointly invaded Czechoslovakia.", "1968: Soviet army invaded Czechoslovakia alone"),
    ("Partnership for Peace offered each partner individually tailored agreements.",
     "Partnership for Peace offered one standard agreement to each partner"),
    # an opposite word of size
    ("The follow-on mission would be smaller than NTM-A.", "follow-on mission planned to be bigger than NTM-A"),
    # "X rather than Y" said as "Y, not X"
    ("After 9/11 Afghanistan was treated as collective defence rather than humanitarian intervention.",
     "after 9/11 Afghanistan treated as a humanitarian intervention like Kosovo, not as collective defence"),
    ("During its existence the WEU worked in cooperation with NATO.",
     "WEU set up as a counterweight, competing with NATO rather than cooperating"),
    # an opposite word next to the clause that says what it is about
    ("US leaders quickly agreed to join talks with European allies on a joint security agreement.",
     "US slow to react: took months before Washington agreed to talks with the Europeans"),
    # a short denial of what the point says
    ("The SPP was launched in 2005 by the leaders of Canada, the US and Mexico.",
     "launched 2005 for Canada, US, Mexico, but by the trade ministers, not the leaders"),
    ("A strong regional power can provide leadership and resources, so its weight was both an asset and a risk.",
     "strong regional power is a liability rather than an asset"),
    # "did little to" denies, and "not its job" denies what comes before it
    ("Its peacekeeping and relief missions helped contain the fighting.",
     "peacekeeping & relief missions did little to contain the fighting"),
    ("The OSCE's human dimension takes in minority rights, press freedom and fair elections.",
     "human dimension: minority rights, elections - press freedom not its job"),
    # "little" is the opposite of "considerable"
    ("The CSCE became the OSCE amid considerable optimism about collective security.",
     "CSCE -> OSCE, though little optimism about collective security"),
    # a point's clause denied only by its un- word does not stand for the line's denial
    ("Tested in the Balkans it performed unevenly, though its relief mechanisms helped restrain violence.",
     "Balkans test: results mixed; relief mechanisms did not restrain the violence"),
    # opposites of how it is done and of how much there is
    ("Agreements that make progress transparent add peer pressure.",
     "agreements add peer pressure only if progress kept confidential"),
    ("Small groupings focus on local threats, but their uneven resources make results patchy.",
     "small groupings focus on local threats; all have similar resources -> results fairly steady"),
    ("The long mission eroded Europe's solidarity with the United States.",
     "length of the mission strengthened European solidarity w/ the US"),
    ("Closer watch on Afghan recruits undermined the trust that partnering needed.",
     "closer watch on Afghan recruits restored the trust partnering needed"),
    # a comparison turned round
    ("Regional bodies were better at setting norms and standards than at implementing them.",
     "regional orgs stronger at implementation than at agreeing norms + standards"),
])
def test_a_reversed_claim_is_seen(point: str, line: str) -> None:
    assert reversed_claim(point, line)


@pytest.mark.parametrize("point,line", [
    ("The CSCE worked through regular conferences and consensus, without a permanent secretariat.",
     "CSCE = series of meetings, decisions by consensus, no fixed HQ / secretariat"),
    ("In 1954 the French National Assembly refused to ratify the treaty.", "1954 French Nat. Assembly won't ratify"),
    ("Sharing NATO's values was no longer required, a shift from a normative to a functional logic.",
     "shared values no longer needed => normative to functional shift"),
    ("In 2002 the US trained the army while Germany trained the police.", "2002: US trains the army, Germany the police"),
    ("PfP partners moved from consuming security to producing it.", "PfP: from consumers to producers of security"),
    # the same denial, cut into clauses elsewhere
    ("Working Group I found no answer to the largest problem: convincing politicians and publics.",
     "WG I: still no answer on convincing politicians & publics"),
    ("The Pact did not outlast the fall of the communist governments of Eastern Europe in 1989-1990.",
     "didnt survive the fall of the communist govts across E. Europe 89-90"),
    # "X rather than Y" where the line gives X with Y's shared words
    ("Beyen argued for general rather than sector-based economic integration.",
     "Beyen: not sector by sector but general economic integration"),
    # a year moved about its sentence is no swap
    ("In February 1948 a coup with Soviet backing brought the communists to power in Czechoslovakia.",
     "Czech coup 1948, communists took over"),
    # a point that says "little" in its own words is denied in the line's
    ("Interest among the partners in the exercises was limited.", "weak interest among partners in the exercises"),
    ("The imbalance could push the Alliance into inaction.", "imbalance could leave the Alliance unable to act"),
    ("The WEU did not survive the Lisbon Treaty, which took over its defence clause.",
     "WEU ended after the Lisbon Treaty took over its defence clause"),
    # a line that gives each name its own role and says more besides mixes the claims, it swaps nothing
    ("The US trained the Afghan army while Germany trained the police.",
     "US trained the army; the US also paid police salaries; Germany trained the police"),
    # a judgement reaches its own side of an "and", not the other
    ("Cooperation suffers from leadership changes, turf battles and weak intelligence.",
     "but leadership changes, turf battles, weak intel"),
    # "too great to fix" is "cannot fix"
    ("NATO recognised that the police's problems were too great to fix through courses alone.",
     "NATO admits courses alone can't fix the police's problems"),
    # a word denied by its prefix is denied ("uncoordinated" is "without coordination"), "unveiled" is not
    ("National defence cuts were made without coordination between the allies.",
     "national defence cuts uncoordinated between allies"),
    ("The policy unveiled in Berlin promised efficiency and flexibility.",
     "Berlin policy: efficiency + flexibility"),
    # a line that weighs both sides of an opposite pair, as the point does
    ("Europe faced greater responsibilities with fewer means.", "Europe gets more tasks w/ less money"),
    # "never only" is no denial, as "not just" is none
    ("They were never only a waiting room: many partners had no intention of joining.",
     "not just a waiting room: lots of partners never wanted in"),
    # an un- word denies itself, not the words after it
    ("Its members formed one land area, so the Pact could easily move forces between members.",
     "one unbroken land block -> Pact moved forces easily"),
    # an opposite word said of something else than the point's word
    ("Rising powers such as China, India and Brazil reduce Western influence.",
     "Europe's decline in capabilities reduces Western influence"),
    # a name placed beside another ("alongside") is no role of its own to swap
    ("Russia, alongside Ukraine, Egypt and Malaysia, contributed to IFOR in Bosnia in 1995.",
     "IFOR Bosnia 1995: Ukraine contributed, as did Russia, Egypt, Malaysia"),
    # the other name given in a form the name lists miss ("the Soviets")
    ("The Pact had an internal function: it gave the Soviet Union tighter control over the other states.",
     "internal function: Pact let the Soviets keep tighter control over the other states"),
    # two shared words that the denial does not reach
    ("Although the Mediterranean Dialogue had run since 1994 and was seen as a success, it did not help NATO "
     "foresee the Arab Spring, so structured dialogue does not guarantee anticipation.",
     "MD (since '94, 'success') didn't foresee Arab Spring -> dialogue ≠ anticipation"),
    ("In the unstable early Nineties European governments chose to strengthen the cooperative, comprehensive and "
     "progressive security principles they had developed in the Helsinki Process.",
     "early 90s instability -> govts strengthen own Helsinki principles"),
    # an un- word denies only itself, which the prefix checks read
    ("Changes of leadership and unfavourable public opinion in better-resourced states can undermine cooperation.",
     "leadership change + bad public opinion in richer states undermine coop"),
    # a denied word is its opposite asserted
    ("The Enduring Partnership signalled that ISAF's end would not end NATO's engagement.",
     "Enduring Partnership signed same time -> NATO engagement continues post-ISAF"),
    # "a weak spot" is no judgement
    ("Leader-driven processes are at risk when leaders change.", "leader change = weak spot of a leader-driven process"),
    # a question denies nothing
    ("Conference participants asked whether international funds were crucial to Afghanistan's stability.",
     "Conference: aren't international funds crucial for stability?"),
    # "apart from" is "except"
    ("ECOWAS can handle conflicts in West Africa except Nigeria.",
     "ECOWAS can manage W. African conflicts apart from Nigeria"),
    # a word with a negating prefix is that word denied
    ("India has been disinterested in regional organisation and appears threatening to its neighbours.",
     "India not interested in regional orgs, scares neighbours"),
    # "rejected" denies
    ("To counter fears of hegemonic ambitions, the AU rejected permanent members on its Peace and Security Council.",
     "AU worried about hegemons -> no permanent seats on Peace and Security Council"),
    # what things turned from, put aside
    ("Partners schooled in defence reform turned from security consumers into security producers.",
     "reformed partners = security producers / operational enablers instead of consumers"),
    # the same numbers with the same things
    ("Portugal and Spain joined the WEU in 1990 and Greece in 1995.", "Portugal + Spain join 1990, Greece 1995"),
    # the same change in figures, however it is written
    ("At Chicago the ANSF goal of 352,000 was cut to 228,500.", "Chicago: ANSF goal cut from 352,000 -> 228,500"),
    ("Loads per flight doubled from about 3.5 to 7 tonnes and empty flights fell from 22% to 14%.",
     "avg load doubled ~3.5t -> ~7t; empty flights down from ~22% to 14%"),
    ("NATO set out to build the Afghan forces towards 352,000, a goal later cut at Chicago to 228,500.",
     "grow ANSF to 352,000; Chicago 2012 lowered the goal -> 228,500"),
    # "without a shot fired", in quotes or not, says "peacefully"
    ("By 2004 the first partners had joined NATO 'without a shot fired', though Russia's reaction was a risk.",
     "first partners in NATO by 2004, peacefully, but risky bc of Russia"),
    # a word with a negating prefix against the point's word said "little" of ("lost credit")
    ("After the vote France lost much of its credit as a champion of Europe.",
     "after the vote France, the old champion of Europe, was discredited"),
    # a line that denies what the point's comparison puts second
    ("Many allies joined less out of fear of attack at home than to keep the US engaged in Europe.",
     "allies in to keep the US engaged in Europe, not fear of attack at home"),
    # a lack denies what is lacking, not the rest of its clause
    ("National pride, rival industries and a lack of funds remain serious obstacles.",
     "serious obstacles: national pride, rival industries, lack of funds"),
    # a body named after what another clause names: the ANSF are the Afghan forces, no second party
    ("The programme aimed to teach every member of the Afghan forces to read, since literate forces were a "
     "precondition for a modern ANSF.",
     "reading: every ANSF member taught to read - literate forces a precondition for a modern ANSF"),
    # the same comparison in other words
    ("Regional bodies were better at setting norms and standards than at implementing them.",
     "regional orgs: more successful setting norms + standards than implementing them"),
])
def test_the_same_claim_in_other_words_is_not_reversed(point: str, line: str) -> None:
    assert not reversed_claim(point, line)


def test_a_reversed_claim_cannot_cover(lexicon) -> None:  # noqa: ANN001
    point = KeyPoint("The CSCE worked through regular conferences and consensus, without a permanent secretariat.")
    reversed_ = score_outline([point], "CSCE: regular conferences, consensus, a permanent secretariat", lexicon)
    same = score_outline([point], "CSCE: regular conferences, consensus, no permanent secretariat", lexicon)
    assert reversed_.results[0].status == "missed"
    assert same.results[0].status == "covered"


def test_an_off_topic_outline_scores_nothing(lexicon, meaning) -> None:  # noqa: ANN001
    points = [KeyPoint("The CSCE worked through regular conferences and consensus, without a permanent secretariat."),
              KeyPoint("The 1990 Charter of Paris set out a new Europe of democracy and cooperation.")]
    outline = "- Warsaw Pact founded 1955 after FRG joined NATO\n- used to crush Hungary 1956"
    assert score_outline(points, outline, lexicon, meaning).share == 0.0


def test_a_question_asks_and_earns_nothing(lexicon) -> None:  # noqa: ANN001
    points = [KeyPoint("By 2004 all the early Central and Eastern European partners had become NATO members, so the "
                       "first partnerships served their purpose."),
              KeyPoint("The 1990 Charter of Paris set out a new Europe of democracy and cooperation.")]
    outline = "NATO partnerships: did they serve their purpose?\n- Charter of Paris 1990: new Europe of democracy + coop"
    assert [r.status for r in score_outline(points, outline, lexicon).results] == ["missed", "covered"]


def test_the_line_shown_is_the_line_that_earned_the_point(lexicon, meaning) -> None:  # noqa: ANN001
    points = [KeyPoint("In February 1948 a Soviet-backed coup brought the communists to power in Czechoslovakia."),
              KeyPoint("The treaty signed in April 1949 centred on Article 5: an attack on one is an attack on all.")]
    outline = ("Intro: why NATO\n- Feb 48 communist coup in Czechoslovakia, backed by USSR\n"
               "- Apr 49 treaty, Art 5 = attack on 1 = on all")
    score = score_outline(points, outline, lexicon, meaning)
    assert [(r.status, r.line) for r in score.results] == [("covered", 2), ("covered", 3)]
    assert score.by_meaning


def test_the_model_started_before_the_comparisons_marks_as_the_model_asked_after(lexicon, meaning) -> None:  # noqa: ANN001
    """The meaning model's similarities start before the scorer compares words and finish on its thread
    after; any other similarities function runs in a worker: the marks are the same either way."""
    from essay_scoring import marked_data

    from studyapp.core.marking.model import StartsSimilarities

    assert isinstance(meaning, StartsSimilarities)
    data = marked_data()
    for o in data["outlines"][:12]:
        points = [KeyPoint(t) for t in data["prompts"][o["prompt"]]["points"]]
        started = score_outline(points, o["text"], lexicon, meaning)
        asked = score_outline(points, o["text"], lexicon, lambda p, u: meaning(p, u))
        assert [(r.status, r.score, r.line) for r in started.results] == [
            (r.status, r.score, r.line) for r in asked.results
        ]


def test_without_the_model_outlines_are_marked_on_wording_and_facts(data_dir, clock, monkeypatch) -> None:  # noqa: ANN001
    """A machine where the model cannot load still marks, with the coefficients fitted for that case,
    and the score says it was marked without meaning."""
    from studyapp import meaning
    from studyapp.service import StudyService

    def cannot_load(self):  # noqa: ANN001, ANN202
        raise meaning.MeaningUnavailable("the meaning model is not installed (onnxruntime)")

    monkeypatch.setattr(meaning.MeaningModel, "load", cannot_load)
    service = StudyService.open(data_dir, clock=clock)
    prompt = service.essays.essay_prompt("gen/nato+warsaw_pact/compare")
    score = service.essays.score_essay(prompt, "- NATO voluntary club of democracies vs WP run from Moscow")
    assert not score.by_meaning and service.essays.meaning_error
    assert [r.status for r in score.results][2] == "covered"


def test_a_point_stated_with_a_wrong_fact_names_the_line_and_why(lexicon) -> None:  # noqa: ANN001
    points = [KeyPoint("The CSCE worked through regular conferences and consensus, without a permanent secretariat."),
              KeyPoint("The Helsinki Final Act was signed in 1975.")]
    outline = "- CSCE: regular conferences + consensus, had a permanent secretariat in Vienna\n- Final Act signed 1977"
    reversed_, year = score_outline(points, outline, lexicon).results
    assert (reversed_.status, reversed_.line, reversed_.wrong, reversed_.wrong_line) == ("missed", None, "reversed", 1)
    assert (year.status, year.wrong, year.wrong_line, year.wrong_reason) == (
        "missed", "number", 2, "gives a different year or number")
    right = score_outline(points, "- CSCE: regular conferences, consensus, no permanent secretariat", lexicon)
    assert right.results[0].wrong == "" and right.results[0].wrong_line is None
    # two names given each other's parts are named as such, not as a name the point does not give
    sco = KeyPoint("The SCO opened a secretariat in Beijing and an anti-terrorism centre in Tashkent.")
    swapped = score_outline([sco], "- SCO: secretariat in Tashkent + anti-terror centre in Beijing", lexicon).results[0]
    assert (swapped.wrong, swapped.wrong_line) == ("name", 1)
    assert "mixes up who did what" in swapped.wrong_reason
