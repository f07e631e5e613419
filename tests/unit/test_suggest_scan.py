"""The patterns rewritten to open with a character class (suggest/scan.py) match exactly
what their plain forms match: same spans, same groups, on tricky and on ordinary text."""

from __future__ import annotations

import re

import pytest

from annotator.core import sentences
from annotator.core.suggest import claim_text, claims, claims_marks, event_patterns
from annotator.core.suggest.openings import OPENINGS
from annotator.core.suggest.scan import initial_class, initial_words

SAMPLES = [
    "The 20km race walk, 35 km walk, 50-kilometre race walk, 20 km run; 60m, 60 metres, 600m, "
    "60m hurdles, a pentathlon; he wins, winning, retained and defended the title. Indoors, "
    "indoor, outdoor.",
    "Gold, SILVER and bRoNzE: she won the final, a record, her first second third title.",
    "ſilver ſixth İst ıt Kelvin \u212aelvin goldsmith ungold gold-medal _gold 3gold",
    "The 1500m, 1,500 metres, 10,000m, 10000 m, 5,000-meters, 3000m steeplechase, 400m "
    "hurdles, 110m Hurdles, 800 M, 2,00m, x100m, .400m, ,800m, 100mile, 1,5000m.",
    "Mile MARATHON high jump pole vault long jump triple jump shot put discus hammer "
    "javelin heptathlon decathlon, Hammerfest, milestone, Steeplechase, Shot Put, Ddiscus.",
    "Final final race races Championships championships Trials trials finale Final-ist "
    "re-race, the final. The race-day. Trials\u2019 end.",
    'He ran 3:26.73. Then... "Yes!" she said? no. \n\n\nNext?!\u201d Go\u2026 on. .. ...x a.',
]


def _same(old: re.Pattern[str], new: re.Pattern[str], text: str) -> None:
    for pos in range(0, len(text), 7):
        a = [(m.span(), m.groupdict()) for m in old.finditer(text, pos)]
        b = [(m.span(), m.groupdict()) for m in new.finditer(text, pos)]
        assert a == b, (text, pos)


@pytest.mark.parametrize("text", SAMPLES)
def test_trigger_and_event_ends(text: str) -> None:
    _same(
        re.compile(
            r"\b(?:gold|silver|bronze|won|wins|winning|captured|final|record|title|"
            r"retained|defended|first|second|third|fourth|fifth|sixth)\b",
            re.IGNORECASE,
        ),
        claims._TRIGGER,
        text,
    )
    _same(re.compile(r"\b(?:[Ff]inal|race)\b(?!-)"), event_patterns._RACE_END, text)
    _same(
        re.compile(r"\b(?:[Cc]hampionships|[Tt]rials)\b(?!-)"), event_patterns._NATIONAL_END, text
    )


@pytest.mark.parametrize("text", SAMPLES)
def test_disciplines(text: str) -> None:
    plain = re.compile(
        r"(?<![\w,.])(?P<walk>20|35|50)\s?(?:km|-?kilomet(?:re|er)s?)\s+(?:race\s+)?walk\b"
        r"|(?<![\w,.])(?P<metres>60|100|110|200|400|800|1,?500|3,?000|5,?000|10,?000)"
        r"(?:\s?m\b|\s?-?met(?:re|er)s?\b)(?:\s+(?P<kind>hurdles|steeplechase|steeple))?"
        r"|\b(?P<named>mile|marathon|steeplechase|high jump|pole vault|long jump|triple jump|"
        r"shot put|discus|hammer|javelin|heptathlon|decathlon|pentathlon)\b",
        re.IGNORECASE,
    )
    for pos in range(0, len(text), 5):
        a = [
            (m.span(), m["walk"], m["metres"], m["kind"], m["named"])
            for m in plain.finditer(text, pos)
        ]
        b = [
            (
                m.span(),
                m["walk"] and text[m.start()] + m["walk"],
                m["metres"] and text[m.start()] + m["metres"],
                m["kind"],
                None if m["metres"] is not None or m["walk"] is not None else m.group(),
            )
            for m in claim_text._DISCIPLINE.finditer(text, pos)
        ]
        assert a == b, (text, pos)


@pytest.mark.parametrize("text", SAMPLES)
def test_sentence_breaks(text: str) -> None:
    _same(re.compile(r"\n+|[.!?…]+[\"'’”)\]]*(?=\s|$)"), sentences._BREAK, text)


def test_initial_class_spells_out_every_case_ignorecase_pairs() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    cls = re.compile(initial_class(letters, ignorecase=True))
    for cp in range(0x10000):
        ch = chr(cp)
        paired = any(re.fullmatch(c, ch, re.IGNORECASE) for c in letters)
        assert bool(cls.fullmatch(ch)) == paired, hex(cp)


def test_initial_words_order_is_kept() -> None:
    rx = re.compile(initial_words(["ab", "abc"]) + "c?")
    assert rx.match("abc").group() == "abc"  # "ab" first, then the optional c
    assert re.compile(initial_words(["abc", "ab"])).match("abc").group() == "abc"


def test_name_token() -> None:
    from annotator.core.suggest import text_helpers

    plain = re.compile(
        rf"\b{text_helpers._upper_class()}[^\W\d_]*"
        r"(?:['’\-](?!s\b)[^\W\d_]+|[\u0300-\u036f]+[^\W\d_]*)*"
    )
    every = "".join(chr(c) for c in range(0x20, 0x3000) if chr(c) != "\n")
    for text in [*SAMPLES, every, "aⒶ Ⓐx .Ⓐ xA A Kerr’s Sha'Carri O'Neil-Smith Nordå\u030as"]:
        _same(plain, text_helpers.NAME_TOKEN, text)


@pytest.mark.parametrize(
    "text",
    [
        *SAMPLES,
        "İstanbul gold",
        "ıt won",
        "GOLD\u212a won",
        "ſteeplechase 1,500m 1500 m 10,000m smile mile",
    ],
)
def test_word_starts_find_what_the_pattern_finds(text: str) -> None:
    from annotator.core.suggest.scan import finditer_at

    for pos in range(0, len(text), 3):
        piece = text[pos:]
        words = OPENINGS.starts(piece)
        a = [m.span() for m in claims._TRIGGER.finditer(piece)]
        assert [
            m.span() for m in finditer_at(claims._TRIGGER, piece, words and words["trigger"])
        ] == a
        d = claim_text.disciplines(piece, 0, len(piece))
        assert claim_text.disciplines(piece, 0, len(piece), words and words["discipline"]) == d


@pytest.mark.parametrize(
    "text",
    [
        *SAMPLES,
        "colour colours colour's colour-blind xcolour colourx 1colour colour1 _colour",
        "metres/second, meters. Meters metre’s ’metre color; organize (defence) programme",
        "",
    ],
)
def test_variant_counts_count_the_lower_case_words(text: str) -> None:
    from annotator.core.suggest import spelling_variant as sv

    words = sv._LOWER_WORD.findall(text)
    gb = sum(1 for w in words if w in sv.BRITISH)
    us = sum(1 for w in words if w not in sv.BRITISH and w in sv.AMERICAN)
    assert sv.variant_counts(text) == (gb, us)


@pytest.mark.parametrize(
    "text",
    [
        *SAMPLES,
        "On Monday, last year, earlier this month, two weeks ago, out from Sept. 3 "
        "and Aug 5 thisyear Blast yesterday Today tomorrow's tonight without about Mayday",
    ],
)
def test_date_openings_find_what_the_patterns_find(text: str) -> None:
    from annotator.core.suggest.dates import patterns as p
    from annotator.core.suggest.scan import finditer_at

    at = OPENINGS.starts(text)
    if at is None:  # "ı", "ſ": the rules scan the text themselves
        assert "ı" in text or "ſ" in text
        return
    for group, rx in (
        ("month", p.MONTH),
        ("relative", p.RELATIVE),
        ("day_word", p.DAY_WORD),
        ("ago", p.AGO),
        ("weekday", p.WEEKDAY),
    ):
        expected = [(m.span(), m.groupdict()) for m in rx.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in finditer_at(rx, text, at[group])] == expected


def _gold_texts() -> list[str]:
    from pathlib import Path

    from annotator.core.formats.jsonl import iter_jsonl_records

    path = Path(__file__).resolve().parents[1] / "data" / "eval" / "gold.jsonl"
    return [r["text"] for r in iter_jsonl_records(path.read_text(encoding="utf-8").splitlines())]


CLAIM_SAMPLES = [
    "She won gold, took home the silver medal and claimed a world indoor bronze. Picked up "
    "THE Olympic Gold; grabbed her gold medal. silver-medallist Bronze medalist. He won the "
    "women's 1500m title; captured the final; claimed the world crown. Her first world title, "
    "his second Olympic gold medal, a third world indoor crown. by 0.12s, by 3 cm, by two "
    "tenths of a second, by a hundredth. World record, world-records, WORLD RECORDS. 1950 "
    "2049 2050 1949 12:34 3:26.73 9.79 6.25m 8.95 m 1:02:03.4 .9.79 x9.79 9.791 2:00:35. "
    "heats semi-final semifinals semis round qualifying splits personal best PB SB season's "
    "best indoor last year previous the year before ago born. Olympics worldwide world indoor "
    "4x100m relay relays 4 x 400 4×400 since best fastest record earlier before season career "
    "lifetime women's men’s Jan January Sept. ago former formerly once next will would final "
    "won the title, Won The crown, wins  the, winning the, captured the; retained his title, "
    "DEFENDED HER crown, claimed their, won his, retained the title, defended  the, claimed "
    "the; rewon the, owon his, won thee, retained hers "
    "finals won victory win triumphant beat ahead of. had stood since 1985, has lasted since "
    "2001, have been in place since 1999; after before; in Paris, in Rome Italy, in Zürich.",
    "ſilver ıt İn K\u212a gold\u212a 1١2 ٣:٤٥.٦٧ ١٩٩٩",
    "Her second world 400m hurdles title, his third world indoor 60m hurdles crown, a first "
    "Olympic 1,500m gold, her first world championship title, his first world mixed relay "
    "title, her first world 10000m final title. Finished third, came in second, CAME HOME "
    "FIRST, placed  eighth, finished ninth, refinished third, came inside.",
]


def test_claim_patterns_match_their_plain_forms() -> None:
    from annotator.core.suggest import claims_context, claims_order, claims_records, claims_wins

    ic = re.IGNORECASE
    plain = [
        (
            claim_text.MARK,
            r"(?<![\w.:])(?:\d{1,2}:\d{2}(?::\d{2})?(?:\.\d{1,2})?|\d{1,2}\.\d{2})"
            r"(?:\s?m\b)?(?![\w.:]?\d)",
            0,
        ),
        (
            claim_text.MEDAL_VERB,
            rf"\b(?:{claim_text._PAST})\s+(?:(?:an?|the|her|his|their)\s+)?"
            r"(?:(?:Olympic|world|world indoor|indoor|global)\s+)?"
            r"(?P<medal>gold|silver|bronze)(?:\s+medal)?\b",
            ic,
        ),
        (claim_text.MEDALLIST, r"\b(?P<medal>gold|silver|bronze)[- ]medall?ist\b", ic),
        (
            claim_text.WON_THE,
            r"\b(?P<verb>won|captured|claimed)\s+the\s+"
            r"(?:(?:Olympic|world|women's|men's)\s+)*"
            r"(?=[\w,. -]{0,20}?\b(?:title|final|crown|race)\b)",
            ic,
        ),
        (
            claim_text.FIRSTS,
            r"\b(?:her|his|a)\s+(?P<nth>first|second|third|fourth|fifth|sixth)"
            r"\s+(?P<series>Olympic|world indoor|world)\s+"
            r"(?:(?P<what>[^\W\d_]*\d[^,.;:]{0,24}?|[^\W\d_]+(?: [^\W\d_]+)?)\s+)??"
            r"(?:gold\s+medal|gold|title|crown)\b",
            ic,
        ),
        (
            claim_text.PLACING,
            r"\b(?:finished|came|placed)\s+(?:in\s+|home\s+)?"
            r"(?P<place>first|second|third|fourth|fifth|sixth|seventh|eighth)\b",
            ic,
        ),
        (
            claim_text.MARGIN,
            r"\bby\s+(?P<margin>(?P<num>\d+\.\d+)\s*(?:s|secs?|seconds?)\b|"
            r"(?P<cm>\d+)\s*(?:cm|centimet(?:re|er)s)\b|(?P<word>a|an|one|two|"
            r"three|four|five|six|seven|eight|nine)\s+(?P<unit>tenths?|"
            r"hundredths?)(?:\s+of\s+a\s+second)?)",
            ic,
        ),
        (claim_text.WORLD_RECORD, r"\bworld[- ]records?\b", ic),
        (claim_text.YEAR, r"(?<![\w:.])(?:19[5-9]\d|20[0-4]\d)(?![\w:.]?\d)", 0),
        (
            claim_text.NOT_THE_FINAL,
            r"\b(?:heats?|semi-?finals?|semis|round|qualif\w*|splits?|"
            r"personal best|PB|SB|season'?s? best|last year|"
            r"previous|the year before|ago|born)\b",
            ic,
        ),
        (claim_text.INDOOR, r"\bindoors?\b", ic),
        (
            claims_marks._OTHER_RUNS,
            r"\b(?:since|best|fastest|record|previous|earlier|before|"
            r"last year|season|career|lifetime)\b",
            ic,
        ),
        (claims._RELAY, r"\brelays?\b|\d\s?[x×]\s?\d", ic),
        (claims._SEX_WORDS, r"\b(women|men)['’]s\b", ic),
        (claims_marks._MONTH, r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b", 0),
        (
            claims_context.ELSEWHEN,
            r"\b(?:ago|last year|previous\w*|earlier|before|former\w*|since|"
            r"once|next|will|would)\b",
            ic,
        ),
        (claims._FINAL, r"\bfinal\b", ic),
        (
            claims_marks._WIN_WORDS,
            r"\b(?:won|wins?|winning|victory|triumph\w*|beat|ahead of)\b",
            ic,
        ),
        (claims_context.SERIES_RE["olympics"], r"\bOlympic", ic),
        (claims_context.SERIES_RE["world_championships"], r"\bworld\b(?! indoor)", ic),
        (claims_context.SERIES_RE["world_indoors"], r"\bworld indoor", ic),
        (
            claims_records._STOOD,
            r"\b(?P<tense>had|has|have)\s+(?:stood|lasted|survived|"
            r"been in place)\s+since\s+(?P<year>(?:19|20)\d\d)\b",
            ic,
        ),
        (claims_order.ORDER, r"\b(?P<word>after|before)\b", ic),
        (claims_wins._WON_THE, r"\b(?:won|wins|winning|captured)\s+the\s+", 0),
        (
            claims_wins._TITLE_OF,
            r"\b(?:(?:won|retained|defended|claimed|captured)\s+(?:his|her|their)"
            r"|(?:retained|defended|claimed)\s+the)\s+",
            ic,
        ),
        (claims_records._CITY_AFTER, r"\bin\s+(?P<city>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)", 0),
    ]
    texts = [*SAMPLES, *CLAIM_SAMPLES, *_gold_texts()]
    for new, old, flags in plain:
        ref = re.compile(old, flags)
        for text in texts:
            for pos, end in ((0, len(text)), (3, len(text) - 2), (len(text) // 3, len(text))):
                a = [(m.span(), m.groupdict(), m.groups()) for m in ref.finditer(text, pos, end)]
                b = [(m.span(), m.groupdict(), m.groups()) for m in new.finditer(text, pos, end)]
                assert a == b, (old, text[:40], pos)


@pytest.mark.parametrize(
    "text",
    [
        *SAMPLES,
        "the the",
        "The the cat the the, (the the) x1 1the the a a\n\nA a",
        "a a a a",
        "Duran Duran won won. Had had. ünd Ünd, ΑΣ ασ, İ i",
        "",
        "x",
        "so  so",
        "the\tthe-end",
        # Lower-cased with table classes, or (the last four) as written: the same matches.
        "Ka ka (Kelvin sign), ſa sa, ıa Ia, µa μa, ǅa ǆa, ÉTÉ été, Straße STRASSE strasse",
        "run 🏃 🏃 run run🔥 the 😄the the 😄 😄",
        "İi İi the the",
        "ΟΔΟΣ ΟΔΟΣ the the ΑΣ ασ",
        "𝐀the the, 𝐚𝐛 𝐚𝐛 and and",
        "x𝟎 the the 𝟎",
    ],
)
def test_repeats_are_the_plain_pattern_matches(text: str) -> None:
    from annotator.core.suggest import repeated_words as rw

    expected = [(m.start(), m.end(), m[1], m[2]) for m in rw._REPEAT.finditer(text)]
    assert list(rw._repeats(text)) == expected
    for t in _gold_texts():
        assert list(rw._repeats(t)) == [
            (m.start(), m.end(), m[1], m[2]) for m in rw._REPEAT.finditer(t)
        ]


def test_the_table_classes_are_the_category_classes_in_the_bmp() -> None:
    from annotator.core.suggest import repeated_words as rw

    bmp = "".join(map(chr, range(0x10000)))
    letter, word = rw._ranges(r"[^\W\d_]+", bmp), rw._ranges(r"\w+", bmp)
    at_start, after = rw._table_patterns()
    assert at_start.pattern.startswith(f"([{letter}]++)")
    assert after.pattern.startswith(f"[^{word}]([{letter}]++)")
    letter_rx, non_word_rx = re.compile(f"[{letter}]"), re.compile(f"[^{word}]")
    for char in bmp:
        assert bool(letter_rx.fullmatch(char)) == bool(re.fullmatch(r"[^\W\d_]", char)), char
        assert bool(non_word_rx.fullmatch(char)) == bool(re.fullmatch(r"\W", char)), char


def test_athletic_matches_its_plain_form() -> None:
    from annotator.core.suggest import text_helpers

    plain = re.compile(
        r"(?<!\w)(?:ran|runs?|running|raced?|races|racing|won|wins?|winning|beat|beats|beaten|"
        r"finals?|champions?|championships?|medal\w*|record\w*|gold|silver|bronze|athletes?|"
        r"sprinters?|runners?|jumpers?|throwers?|hurdlers?|marathon|mile|metres|meters|"
        r"finished|second|third|behind|trials|clocked|qualified|heats?|podium|personal best|pb|"
        r"season['’]s best|\d[\d,]*(?:m|km|metres|meters))(?!\w)",
        re.IGNORECASE,
    )
    extra = "1,500m 10km x5m 5m4 PB pbs Season’s Best ٣m ran_ Ran-on runs."
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, *_gold_texts()]:
        for pos in (0, 5, len(text) // 2):
            a = [m.span() for m in plain.finditer(text, pos)]
            assert [m.span() for m in text_helpers._ATHLETIC.finditer(text, pos)] == a


def test_role_and_ahead_match_their_plain_forms() -> None:
    from annotator.core.suggest import event_editions, names

    role = re.compile(
        r"(?<!\w)(?:coach|father|mother|manager|agent|president|journalist|reporter|author|"
        r"presenter|commentator|promoter|chairman|chief|minister)\s+$",
        re.IGNORECASE,
    )
    ahead = re.compile(
        r"\b(?:ahead of|upcoming|build-up to|run-up to|next|will|set to|looking to)\b",
        re.IGNORECASE,
    )
    extra = (
        "former coach ; Coach  x the COACH ſet to Will will, next-door, build-up to the "
        "Ahead of AHEAD OF Upcoming, K\u212aext İn ıt"
    )
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, *_gold_texts()]:
        for end in range(0, len(text), 11):
            s = max(0, end - 24)
            a = role.search(text, s, end)
            b = names._NON_ATHLETE_ROLE.search(text, s, end)
            assert (a and a.span()) == (b and b.span())
        assert [m.span() for m in ahead.finditer(text)] == [
            m.span() for m in event_editions._AHEAD.finditer(text)
        ]


def test_race_precheck_skips_only_where_race_cannot_end() -> None:
    from annotator.core.suggest import event_patterns as ep

    extra = (
        "the final, the 1500m final, 1,500m Final, 10 km race, 400m hurdles final, "
        "3000m steeplechase final, 20km race walk final, 4x400m relay final, 4 x 100 m "
        "final, mile final, half marathon race, high jump final, pole vault final, shot "
        "put final, shot final, discus final, hammer final, javelin final, heptathlon "
        "final, decathlon final, pentathlon final, world 800m final, Olympic 10,000m "
        "race, women's 5000m final, 2023 world 1500m final, team final, the race"
    )
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, extra.upper(), *_gold_texts()]:
        plain = [m.span() for m in ep._anchored(text, ep._RACE_END, ep.RACE)]
        assert [m.span() for m in ep.races(text)] == plain
        if (at := OPENINGS.starts(text)) is not None:  # the shared pass's starts
            assert [m.span() for m in ep.races(text, at["race_end"])] == plain


def test_national_precheck_skips_only_where_national_cannot_end() -> None:
    from annotator.core.suggest import event_patterns as ep

    extra = (
        "British Championships, Kenyan trials, US Olympic Trials, 2024 NCAA Championships, "
        "U.S. Championships, USATF Outdoor Championships, UK Athletics Championships, "
        "Jamaican U20 Championships, Ethiopian U١٨ Trials, Kenyan Cross Country "
        "Championships, Irish Track and Field Championships, World Championships, "
        "European Championships, the championships, Spanish National Championships"
    )
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, extra.upper(), *_gold_texts()]:
        plain = [m.span() for m in ep._anchored(text, ep._NATIONAL_END, ep.NATIONAL)]
        assert [m.span() for m in ep.national_championships(text)] == plain
        if (at := OPENINGS.starts(text)) is not None:
            assert [m.span() for m in ep.national_championships(text, at["national_end"])] == plain
    assert ep.national_championships(extra)


def test_lower_words_from_the_chunks_are_the_texts() -> None:
    from annotator.core.suggest.text_helpers import LOWER_WORD, TextContext

    extra = (
        "co-operation operation’s (race) 'quoted' don't l’équipe\u00a0next\ttab\x1cfile "
        "e\u0301lan x3km _under über ÿes ßtraße Kerr kerr. kerr, KERR O’Neil o’neil 3:26.73m"
    )
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, extra.upper(), *_gold_texts(), ""]:
        ctx = TextContext(text)
        assert ctx.chunks == set(text.split())
        assert ctx.lower_words == frozenset(LOWER_WORD.findall(text))
    assert {"operation", "tab", "file", "über", "kerr", "l"} <= TextContext(extra).lower_words


def test_discipline_at_is_the_first_discipline_when_it_starts_there() -> None:
    from annotator.core.suggest import claim_text as T

    extra = "won the 1500m, 1,500 metres, 20km race walk, 3000m steeplechase, 60m hurdles, shot"
    seen = 0
    for text in [*CLAIM_SAMPLES, extra, *_gold_texts()]:
        for p in range(len(text)):
            found = T.disciplines(text, p, len(text))
            first = found[0] if found and found[0][0] == p else None
            assert T.discipline_at(text, p, len(text)) == first
            seen += first is not None
    assert seen > 20


def test_event_anchors_and_host_years_found_where_their_words_start() -> None:
    import sys
    from pathlib import Path

    from annotator.core.suggest import event_patterns as ep
    from annotator.core.suggest.engine import SuggestionEngine
    from annotator.core.suggest.scan import finditer_at

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_suggest

    engine = SuggestionEngine(bench_suggest.load_kb(), use_spacy=False)
    city_year = engine.events._city_year
    assert city_year is not None and "Paris" in engine.events.host_cities
    extra = (
        "Olympic Games, Olympics, OlympicsX, xOlympics, World Athletics Indoor Championships, "
        "World Championship, Worlds, worlds, WORLDS, European Indoor Championships, the "
        "Commonwealth Games, Diamond League Finals, Diamond League final, Half Marathon, "
        "Marathon, NeoClassic, Games, Miles, Invitational, Relays, Paris 2024, Tokyo 2021, "
        "Budapest 2023, xParis 2024, PARIS 2024, Paris 20245, Half Marathon Marathon"
    )
    found = 0
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, extra.upper(), *_gold_texts()]:
        scan = engine._scan.scan(text)
        assert scan is not None or text != extra
        if scan is None:
            continue
        plain = [m.span() for m in ep.ANCHOR.finditer(text)]
        assert [m.span() for m in finditer_at(ep.ANCHOR, text, scan[0]["anchor"])] == plain
        hosts = [m.span() for m in city_year.finditer(text)]
        assert [m.span() for m in finditer_at(city_year, text, scan[0]["host"])] == hosts
        if text == extra:
            found = len(plain) + len(hosts)
    assert found == 25  # 20 anchors and 5 host years in ``extra``


def test_city_names_match_their_plain_form() -> None:
    import sys
    from pathlib import Path

    from annotator.core.kbcsv import fold

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_suggest

    kb = bench_suggest.load_kb()
    checker = claims.ClaimChecker(kb)
    names = {r.city for r in kb.records} | {e.city for e in kb.events if e.city}
    names |= {fold(n).title() for n in names}
    assert len(names) > 20
    plain = re.compile(
        r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b"
    )
    extra = " ".join(names) + " Parisian xParis Paris-Roubaix New York City Zurich Zürich"
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, *_gold_texts()]:
        assert [m.span() for m in plain.finditer(text)] == [
            m.span() for m in checker.context.city_names.finditer(text)
        ]


def test_engine_gives_the_same_without_the_openings_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The automaton pass only says where to look: with it (the usual case) and without it
    (a text lower-casing would misalign), every suggestion is the same."""
    import datetime as dt
    import sys
    from pathlib import Path

    from annotator.core.compiled import engine_is_compiled
    from annotator.core.suggest import engine as engine_module
    from annotator.core.suggest import spelling_variant

    if engine_is_compiled():
        # A compiled object's methods cannot be replaced: the check runs on the sources, which
        # tests/unit/test_compiled_engine.py shows suggest what the compiled build does.
        _run_on_the_sources("test_engine_gives_the_same_without_the_openings_pass")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_suggest

    engine = engine_module.SuggestionEngine(bench_suggest.load_kb(), use_spacy=False)
    texts = [*_gold_texts(), *SAMPLES, *CLAIM_SAMPLES]
    published = dt.date(2025, 9, 12)
    with_pass = [engine.suggest(t, published=published) for t in texts]
    assert engine._scan.scan("ı gold") is None  # the texts that go without
    assert OPENINGS.starts("ı gold") is None
    monkeypatch.setattr(engine._scan, "scan", lambda text: None)
    assert [engine.suggest(t, published=published) for t in texts] == with_pass
    words = [spelling_variant.variant_counts(t) for t in texts]
    assert words == [spelling_variant.variant_counts(t, None) for t in texts]


def _run_on_the_sources(test: str) -> None:
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::{test}"],
        env={**os.environ, "ANNOTATOR_PURE_PYTHON": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0 and re.search(r"^1 passed", done.stdout, re.M), done.stdout[-4000:]


def test_suggestion_init_is_the_dataclass_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses
    import importlib.util
    import inspect
    import sys
    from pathlib import Path

    import annotator.core.suggest
    from annotator.core.suggest.model import Suggestion

    # The signature as written, from the source: a compiled class shows *args, **kwargs.
    source = Path(annotator.core.suggest.__file__).with_name("model.py")
    spec = importlib.util.spec_from_file_location("model_source", source)
    assert spec is not None and spec.loader is not None
    written = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "model_source", written)  # dataclass looks itself up
    spec.loader.exec_module(written)
    params = list(inspect.signature(written.Suggestion.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Suggestion)
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
    ]
    s = Suggestion(
        1,
        5,
        "error",
        "abcd",
        0.8,
        "r",
        error_type="other",
        correction="x",
        note="n",
        value="v",
        entity="e",
    )
    assert (
        s.start,
        s.end,
        s.label,
        s.text,
        s.confidence,
        s.rule,
        s.error_type,
        s.correction,
        s.note,
        s.value,
        s.entity,
    ) == (1, 5, "error", "abcd", 0.8, "r", "other", "x", "n", "v", "e")
    assert dataclasses.replace(s, text="zz") == Suggestion(
        1, 5, "error", "zz", 0.8, "r", "other", "x", "n", "v", "e"
    )
    assert Suggestion(1, 2, "date", "x", 0.5, "r").entity is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.start = 2  # type: ignore[misc]
    assert hash(s) == hash(dataclasses.replace(s)) and repr(s).startswith("Suggestion(start=1")


def test_document_scan_gives_each_matcher_its_automaton_hits() -> None:
    import sys
    from pathlib import Path

    from annotator.core.suggest import engine as engine_module

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_suggest

    engine = engine_module.SuggestionEngine(bench_suggest.load_kb(), use_spacy=False)
    extra = "PARIS paris Paris Olympics paris olympics DE GRASSE De Grasse de Grasse Kerr kerr"
    for text in [*_gold_texts(), *SAMPLES, *CLAIM_SAMPLES, extra]:
        scan = engine._scan.scan(text)
        if scan is None:
            continue
        opened = {group: list(at) for group, at in scan[0].items()}  # a group not found: ()
        # The engine's own groups: the claim checks' cities and the championships' hosts.
        own = {"city": engine.claims.context.city_words, "host": engine.events.host_cities}
        low = text.lower()
        for group, words in own.items():
            assert opened.pop(group) == sorted(
                {i for w in words for i in range(len(text)) if low.startswith(w.lower(), i)}
            )
        assert opened == OPENINGS.starts(text)
        assert scan[1] == list(engine.names._auto.iter(text))
        assert scan[2] == list(engine.events._auto.iter(text))


def test_automaton_gives_every_occurrence_by_end_longest_first() -> None:
    from annotator.core.suggest.automaton import Automaton

    auto = Automaton({"Kerr": 1, "Josh Kerr": 2, "err": 3, "é": 4, "😀x": 5})
    text = "😀x Josh Kerr, é Kerry"
    hits = list(auto.iter(text))
    # Code-point offsets, as Python slices count (the emoji is one character, not two).
    assert hits == [
        (0, 2, 5), (3, 12, 2), (8, 12, 1), (9, 12, 3), (14, 15, 4), (16, 20, 1), (17, 20, 3)
    ]  # fmt: skip
    for start, end, value in hits:
        key = {v: k for k, v in auto.items()}[value]
        assert text[start:end] == key
    assert len(auto) == 5 and list(Automaton({}).iter(text)) == []


def test_caps_before_an_event_anchor_are_the_plain_patterns_words() -> None:
    from annotator.core.suggest import events

    cap = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
    plain = re.compile(rf"(?<![\w\-])(?:({cap}) )?({cap}) $")
    extra = (
        "The Bowerman Mile, the Prefontaine Classic, Golden Gala Pietro Mennea, x-Rome Golden "
        "Gala, aRome Gala, Ostrava Golden Spike, Saint-Denis Meeting, Zürich Weltklasse, "
        "ÉRome Gala, Rome  Gala, Rome\nGala, 2024 Paris Olympics"
    )
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, *_gold_texts()]:
        for s in range(len(text)):
            old = plain.search(text, max(0, s - 60), s)
            new = events._CAPS_BEFORE.search(text, max(0, s - 60), s)
            assert (old is None) == (new is None), (text[max(0, s - 60) : s], s)
            if old is not None and new is not None:
                assert new.start() == old.start()
                assert text[new.start() : s - 1].split(" ") == [w for w in old.groups() if w]


def test_cities_in_a_sentence_from_the_shared_pass_are_the_patterns() -> None:
    import sys
    from pathlib import Path

    from annotator.core import sentences as split
    from annotator.core.suggest.engine import SuggestionEngine

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_suggest

    engine = SuggestionEngine(bench_suggest.load_kb(), use_spacy=False)
    checker = engine.claims
    extra = (
        "In Paris. Parisian Paris-Roubaix; Zürich and Zurich, New York. Yorkshire. Eugene "
        "in Rome.Rome Doha's heat, Budapest\nBudapest, Tokyo Tokyo; xTokyo Tokyox."
    )
    for text in [*SAMPLES, *CLAIM_SAMPLES, extra, *_gold_texts()]:
        scan = engine._scan.scan(text)
        if scan is None:
            continue
        for ss, se in split.sentence_bounds(text):
            plain = [m.group() for m in checker.context.city_names.finditer(text[ss:se])]
            assert checker.context.cities_in(text, ss, se, scan[0]["city"]) == plain
            assert checker.context.cities_in(text, ss, se, None) == plain
    assert "Zurich" in checker.context.city_words and "Zürich" in checker.context.city_words
