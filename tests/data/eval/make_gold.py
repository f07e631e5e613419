"""Build the suggestion engine's evaluation set: ``gold.jsonl`` and ``crlf_article.txt``.

    python tests/data/eval/make_gold.py            # validate, then write both files
    python tests/data/eval/make_gold.py --check    # validate; fail if the files are stale
    python tests/data/eval/make_gold.py --review   # print every article with its gold spans

The articles below were written for this set (athletics news in the style of the seeds); the
people named Culhane, Brannigan, Kerrigan, Lemayian, Okonkwo, Björkqvist, Verbeeck,
Pemberton-Lowe, Winfred Jepkosgei, Gebretsadik, Stránská, Drummond and Whitcombe are invented.
A few deliberate mistakes are in the text and annotated as errors; everything else is meant as
correct text.

Each annotation is ``(surface, occurrence, label, error_type, correction, value, entity)``;
``occurrence`` counts the surface's hits that stand at word boundaries (1 = first), and the
offsets come from ``str.find``, so ``text[start:end] == surface`` holds by construction.

Annotation guidelines (what a careful fact-checker marks; the engine is not consulted):
- athlete: every mention of a person as an athlete: full name, surname, first name alone
  ("Jakob"), a misspelled name. Not coaches, fathers or officials. ``entity`` is the KB key
  when the person is in resources/kb/athletes.csv, else None. A possessive "'s" is outside.
- event: named competitions and single races as ../shared/ANNOTATION_GUIDE.md lists them
  ("Olympic 1500m final", "5000m final", bare "Diamond League", "Kenyan trials in Nairobi");
  not disciplines alone ("1500m"), not lower-case descriptions ("the national championships"),
  not "Diamond League trophy" (a title). A year or host city written next to the name and
  agreeing with it is part of the span ("2022 World Championships in Eugene"), as the engine's
  conventions say. ``entity`` is the edition meant (``Event.key``: "event:<name> <year>"), or
  None when that edition is not in the KB.
- date: spans and values as annotator/core/suggest/dates/ documents them (a weekday before
  a date is in the span, a preposition is not; "Saturday night" whole; a year in temporal use
  is the year token). Values are resolved against ``published``; a relative date in an
  article without one has the value None.
- error: the wrong characters only: a misspelled surname (the athlete span still covers the
  whole name as written), or the wrong year next to an event (the year is a date span too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
for _path in (REPO, HERE):  # HERE: the article modules next to this file
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import articles_claims  # noqa: E402
import articles_phrasing  # noqa: E402
import articles_results  # noqa: E402
import articles_spelling  # noqa: E402
from gold_annotations import Ann, ath, date, err, evt  # noqa: E402

from annotator.core import kbcsv  # noqa: E402
from annotator.core.formats.jsonl import document_record, dumps_line, iter_jsonl_records  # noqa: E402

GOLD = HERE / "gold.jsonl"
CRLF_FILE = HERE / "crlf_article.txt"
CRLF_ID = 6
LABELS = ("athlete", "event", "date", "error")
ERROR_TYPES = (
    "misspelled_name",
    "misspelling",
    "wrong_date",
    "wrong_number",
    "wrong_fact",
    "other",
)
_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?(?:/\d{4}(?:-\d{2}(?:-\d{2})?)?)?")


@dataclass(frozen=True)
class Article:
    id: int
    slug: str
    published: str | None
    text: str
    spans: list[Ann]


JAKOB, HENRIK, FILIP = "Jakob Ingebrigtsen", "Henrik Ingebrigtsen", "Filip Ingebrigtsen"
TOKYO25 = "World Athletics Championships Tokyo 2025 2025"
BUDAPEST23 = "World Athletics Championships Budapest 2023 2023"
PARIS24 = "Paris Olympics 2024"
ROME24 = "European Athletics Championships Rome 2024 2024"

ARTICLES: list[Article] = [
    Article(
        1,
        "tokyo-1500m-preview",
        "2025-09-12",
        """\
Kerr and Ingebrigtsen renew their rivalry in Tokyo

Josh Kerr arrives in Tokyo as the defending world 1500m champion, and the Scot knows exactly who \
stands between him and a second straight title. Jakob Ingebrigtsen has nursed an Achilles injury \
for much of the season, but the Norwegian said on Thursday that he will line up for the heats on \
Saturday.

"I never count Jakob out," said Kerr, who took bronze behind him at the Tokyo Olympics in 2021. \
"He ran 3:26.73 in Monaco in 2024 and nobody forgets a number like that."

Kerr won gold at the Budapest World Championships two years ago, kicking past Ingebrigtsen in the \
home straight. Ingebrigsten has beaten him more often than not since then, and he comes to the \
World Championships in Tokyo with a point to prove.

The field is deep. Niels Laros, the 20-year-old Dutchman, has been the form runner of the summer, \
while Yared Nuguse and the Olympic champion Cole Hocker lead a strong American team. Laros spent a \
month at altitude in Kenya earlier this year and says he has never felt fitter.

Among the outsiders is Kiprono Lemayian, who finished second at the Kenyan trials in Nairobi last \
month. Lemayian, 21, ran 3:31.05 in Lagos in June, and Nigeria's Chidera Okonkwo, who trained \
alongside him there, will run the 800m.

The final is on Tuesday, 16 September. Asked whether he felt like the favourite, Kerr smiled: \
"Ask me on Tuesday night.\"""",
        [
            ath("Kerr", "Josh Kerr", 1),
            ath("Ingebrigtsen", JAKOB, 1),
            ath("Josh Kerr", "Josh Kerr"),
            ath("Jakob Ingebrigtsen", JAKOB),
            date("Thursday", "2025-09-11"),
            date("Saturday", "2025-09-13"),
            ath("Jakob", JAKOB, 2),
            ath("Kerr", "Josh Kerr", 3),
            evt("Tokyo Olympics", "Tokyo Olympics 2021"),
            date("2021", "2021"),
            date("2024", "2024"),
            ath("Kerr", "Josh Kerr", 4),
            evt("Budapest World Championships", BUDAPEST23),
            date("two years ago", "2023"),
            ath("Ingebrigtsen", JAKOB, 3),
            ath("Ingebrigsten", JAKOB),
            err("Ingebrigsten", "misspelled_name", "Ingebrigtsen"),
            evt("World Championships in Tokyo", TOKYO25),
            ath("Niels Laros", "Niels Laros"),
            ath("Yared Nuguse", "Yared Nuguse"),
            ath("Cole Hocker", "Cole Hocker"),
            ath("Laros", "Niels Laros", 2),
            date("earlier this year", "2025-01-01/2025-09-12"),
            ath("Kiprono Lemayian"),
            evt("Kenyan trials in Nairobi", None),
            date("last month", "2025-08-01/2025-08-31"),
            ath("Lemayian", None, 2),
            date("June", "2025-06"),
            ath("Chidera Okonkwo"),
            date("Tuesday, 16 September", "2025-09-16"),
            ath("Kerr", "Josh Kerr", 5),
            date("Tuesday night", "2025-09-16"),
        ],
    ),
    Article(
        2,
        "ingebrigtsen-family-rome",
        "2024-06-13",
        """\
Three Ingebrigtsens, one family story in Rome

Jakob Ingebrigtsen completed the 1500m and 5000m double at the European Championships in Rome on \
Wednesday night, but the loudest cheer from the Norwegian section was for his eldest brother. \
Henrik Ingebrigtsen, 33, reached the 5000m final for the first time since 2018 and finished ninth.

"I did not expect to be here at all," Ingebrigtsen said afterwards. "Two years ago I could barely \
jog."

Filip Ingebrigtsen, the 2016 European 1500m champion, watched from the stands with his young \
family. Filip has not raced since last summer and said he was enjoying the view for once.

Their father and former coach, Gjert Ingebrigtsen, was not in the stadium.

Jakob, who turned 23 last September, was typically blunt about his own races. "The 1500m was \
hard, the 5000m was harder," he said. "I am tired, but I am not finished for the season."

The European Championships return in Birmingham in August 2026, and Henrik has not ruled out one \
more summer. "Maybe," he said, smiling. "Ask me next year.\"""",
        [
            ath("Jakob Ingebrigtsen", JAKOB),
            evt("European Championships in Rome", ROME24),
            date("Wednesday night", "2024-06-12"),
            ath("Henrik Ingebrigtsen", HENRIK),
            evt("5000m final", None),
            date("2018", "2018"),
            ath("Ingebrigtsen", HENRIK, 3),
            date("Two years ago", "2022"),
            ath("Filip Ingebrigtsen", FILIP),
            date("2016", "2016"),
            ath("Filip", FILIP, 2),
            date("last summer", "2023-06-01/2023-08-31"),
            ath("Jakob", JAKOB, 2),
            date("last September", "2023-09-01/2023-09-30"),
            evt(
                "European Championships", "European Athletics Championships Birmingham 2026 2026", 2
            ),
            date("August 2026", "2026-08"),
            ath("Henrik", HENRIK, 2),
            date("next year", "2025"),
        ],
    ),
    Article(
        3,
        "killarney-cross-country",
        "2025-01-27",
        """\
Culhane storms home in Killarney as Mageean returns

Sinead Culhane won the senior women's race at the national inter-county cross-country \
championships in Killarney on Sunday, pulling clear on the final lap of a heavy Kerry course.

The 24-year-old from Tralee, who runs for the Kerry county team, finished eight seconds ahead of \
Aoife Brannigan, with Ciara Mageean a surprise third on her first cross-country start since 2019. \
The crowd chanted for Magean long after she had crossed the line.

Mageean, the 2024 European 1500m champion, is rebuilding after an injury that kept her out of the \
Paris Olympics last summer. "It was muddy, it was cold, and I loved every minute," Mageean said. \
"Kerry always looks after me."

In the men's race, Cathal Kerrigan of Donegal broke away with two kilometres to go and won by 15 \
seconds. Kerrigan, a 10,000m runner who spent the autumn training in Kenya, said the win was the \
best of his career. The team title went to Cork, who also won in 2023.

Culhane now turns to the indoor season, with the national championships in Abbotstown in late \
February. After that, she said, "Kerry can have me back for the summer.\"""",
        [
            ath("Culhane", None, 1),
            ath("Mageean", "Ciara Mageean", 1),
            ath("Sinead Culhane"),
            date("Sunday", "2025-01-26"),
            ath("Aoife Brannigan"),
            ath("Ciara Mageean", "Ciara Mageean"),
            date("2019", "2019"),
            ath("Magean", "Ciara Mageean"),
            err("Magean", "misspelled_name", "Mageean"),
            ath("Mageean", "Ciara Mageean", 3),
            date("2024", "2024"),
            evt("Paris Olympics", PARIS24),
            date("last summer", "2024-06-01/2024-08-31"),
            ath("Mageean", "Ciara Mageean", 4),
            ath("Cathal Kerrigan"),
            ath("Kerrigan", None, 2),
            date("2023", "2023"),
            ath("Culhane", None, 3),
            date("February", "2025-02"),
        ],
    ),
    Article(
        4,
        "fiona-may-iapichino",
        "2024-05-03",
        """\
Fiona May backs her daughter for a home medal in Rome

Fiona May has watched a lot of Italian long jumpers come and go, but she says her daughter is the \
real thing. May, who won world titles in 1995 and 2001, will be in the stands when Larissa \
Iapichino competes at the European Championships in Rome in June.

"She jumps better than I ever did at her age," May said on Wednesday. "I just try to stay out of \
the way."

Iapichino, 21, took silver at the European Indoor Championships in Istanbul in March 2023 and \
reached the world final at the Budapest World Championships a few months later. She opens her \
outdoor season on May 18 at a small meeting in Savona, then heads to Rome, where the home crowd \
expects a medal.

Her rivals include Germany's Malaika Mihambo, the Olympic champion from Tokyo, and Serbia's Ivana \
Vuleta. Mihambo missed the Budapest World Championships last August with a torn ligament.

Iapichino turns 22 in July. Asked whether May had given her any advice for Rome, she laughed. \
"Mum says jump far," she said. "That's it.\"""",
        [
            ath("Fiona May", "Fiona May", 1),
            ath("Fiona May", "Fiona May", 2),
            ath("May", "Fiona May", 3),
            date("1995", "1995"),
            date("2001", "2001"),
            ath("Larissa Iapichino", "Larissa Iapichino"),
            evt("European Championships in Rome", ROME24),
            date("June", "2024-06"),
            ath("May", "Fiona May", 4),
            date("Wednesday", "2024-05-01"),
            ath("Iapichino", "Larissa Iapichino", 2),
            evt(
                "European Indoor Championships in Istanbul",
                "European Athletics Indoor Championships Istanbul 2023 2023",
            ),
            date("March 2023", "2023-03"),
            evt("Budapest World Championships", BUDAPEST23, 1),
            date("May 18", "2024-05-18"),
            ath("Malaika Mihambo", "Malaika Mihambo"),
            ath("Ivana Vuleta", "Ivana Vuleta"),
            ath("Mihambo", "Malaika Mihambo", 2),
            evt("Budapest World Championships", BUDAPEST23, 2),
            date("last August", "2023-08-01/2023-08-31"),
            ath("Iapichino", "Larissa Iapichino", 3),
            date("July", "2024-07"),
            ath("May", "Fiona May", 6),
        ],
    ),
    Article(
        5,
        "bislett-emoji",
        "2025-06-13",
        """\
Warholm thrills Bislett again 🏃‍♀️🔥

Karsten Warholm gave the Bislett Games crowd exactly what it came for on Thursday night, winning \
the 300m hurdles in 32.67 seconds 🇳🇴 to a roar from 15,000 fans.

"Every year I say this track is special, and every year it is true 🙌," Warholm said. "There is \
no better place in the world to run."

The women's 5000m went to Beatrice Chebet, who held off Agnes Ngetich 👟 over the final 200 \
metres. Chebet, the Olympic champion at 5000m and 10,000m, has now won three races since April.

Fans in the east stand held up a banner reading "Go Jakob 🏃‍♂️💨", but Jakob Ingebrigtsen was \
missing through injury again. Narve Gilje Nordås 🇳🇴 carried the home hopes in the 1500m and \
finished second to the Australian Cameron Myers, with the 19-year-old Swede Lukas Björkqvist fifth \
in a personal best of 3:33.90.

Next up for Warholm is the Bauhaus-Galan in Stockholm on Sunday 🏟️. "Two races in four days? \
Easy," he said with a grin 😄.""",
        [
            ath("Warholm", "Karsten Warholm", 1),
            ath("Karsten Warholm", "Karsten Warholm"),
            evt("Bislett Games", "Bislett Games 2025"),
            date("Thursday night", "2025-06-12"),
            ath("Warholm", "Karsten Warholm", 3),
            ath("Beatrice Chebet", "Beatrice Chebet"),
            ath("Agnes Ngetich", "Agnes Ngetich"),
            ath("Chebet", "Beatrice Chebet", 2),
            date("April", "2025-04"),
            ath("Jakob", JAKOB, 1),
            ath("Jakob Ingebrigtsen", JAKOB),
            ath("Narve Gilje Nordås", "Narve Gilje Nordås"),
            ath("Cameron Myers"),
            ath("Lukas Björkqvist"),
            ath("Warholm", "Karsten Warholm", 4),
            evt("Bauhaus-Galan in Stockholm", "Bauhaus-Galan 2025"),
            date("Sunday", "2025-06-15"),
        ],
    ),
    Article(
        CRLF_ID,
        "brussels-final-crlf",
        "2024-09-14",
        """\
Bol and Warholm sign off in Brussels

Femke Bol closed her season with another Diamond League trophy at the Memorial Van Damme on \
Friday, winning the 400m hurdles by almost a second. The Dutchwoman, who took Olympic bronze in \
Paris last month, said she was tired but happy.

"Brussels is always a good place to end," Bol said. "Next year I want to be faster again."

Karsten Warholm, beaten by Rai Benjamin in the Olympic final, had the last word this time and \
took the men's title. Faith Cherotich won the steeplechase from Peruth Chemutai, and Belgium's \
Elise Vanderelst was fifth in the 1500m in front of a home crowd that stayed long after the last \
race.

The crowd also cheered Lotte Verbeeck, a 19-year-old hurdler from Ghent who ran a personal best of \
55.02 in the national race that opened the evening.

The Diamond League resumes in Xiamen next April, and Bol has already said she will be there.""",
        [
            ath("Bol", "Femke Bol", 1),
            ath("Warholm", "Karsten Warholm", 1),
            ath("Femke Bol", "Femke Bol"),
            evt("Memorial Van Damme", "Memorial Van Damme 2024"),
            date("Friday", "2024-09-13"),
            date("last month", "2024-08-01/2024-08-31"),
            ath("Bol", "Femke Bol", 3),
            date("Next year", "2025"),
            ath("Karsten Warholm", "Karsten Warholm"),
            ath("Rai Benjamin", "Rai Benjamin"),
            ath("Faith Cherotich", "Faith Cherotich"),
            ath("Peruth Chemutai", "Peruth Chemutai"),
            ath("Elise Vanderelst", "Elise Vanderelst"),
            ath("Lotte Verbeeck"),
            evt("Diamond League", None, 2),
            date("next April", "2025-04-01/2025-04-30"),
            ath("Bol", "Femke Bol", 4),
        ],
    ),
    Article(
        7,
        "chicago-marathon-record",
        "2024-10-14",
        """\
Chepngetich smashes the world record in Chicago

Ruth Chepngetich ran 2:09:56 to win the Chicago Marathon on Sunday, taking almost two minutes off \
the women's world record and becoming the first woman to break 2:10.

The Kenyan, who also won in Chicago in 2021 and 2022, was alone from halfway. "I was not thinking \
of the record," Chepngetitch said. "I was thinking of my body and of the people at home."

Ethiopia's Sutume Kebede was second, more than seven minutes behind, with Irine Cheptai third. \
The previous record of 2:11:53 was set by Tigst Assefa in Berlin last year.

In the men's race, John Korir won in 2:02:44, a year after his compatriot Kelvin Kiptum set the \
men's world record on the same streets. Kiptum died in a road accident in February, and Korir \
dedicated the win to him. Britain's Harriet Pemberton-Lowe finished 14th on her marathon debut.

Chepngetich, 30, now targets the London Marathon next April. "Chicago is my lucky city," she said. \
"But London has never been kind to me.\"""",
        [
            ath("Chepngetich", "Ruth Chepngetich", 1),
            ath("Ruth Chepngetich", "Ruth Chepngetich"),
            evt("Chicago Marathon", "Chicago Marathon 2024"),
            date("Sunday", "2024-10-13"),
            date("2021", "2021"),
            date("2022", "2022"),
            ath("Chepngetitch", "Ruth Chepngetich"),
            err("Chepngetitch", "misspelled_name", "Chepngetich"),
            ath("Sutume Kebede"),
            ath("Irine Cheptai", "Irine Cheptai"),
            ath("Tigst Assefa", "Tigst Assefa"),
            date("last year", "2023"),
            ath("John Korir", "John Korir"),
            ath("Kelvin Kiptum", "Kelvin Kiptum"),
            ath("Kiptum", "Kelvin Kiptum", 2),
            date("February", "2024-02"),
            ath("Korir", "John Korir", 2),
            ath("Harriet Pemberton-Lowe"),
            ath("Chepngetich", "Ruth Chepngetich", 3),
            evt("London Marathon", "London Marathon 2025"),
            date("next April", "2025-04-01/2025-04-30"),
        ],
    ),
    Article(
        8,
        "hocker-interview",
        "2025-02-04",
        """\
Hocker: 'I still watch that final every week'

Cole Hocker says he still watches the last 200 metres of the Olympic 1500m final at least once a \
week. The American won the Paris Olympics in 2021, kicking past Josh Kerr and Yared Nuguse on the \
home straight while Jakob Ingebrigtsen faded to fourth.

"It still feels like somebody else did it," Hocker said from his training base in Flagstaff. "I \
watch it and I think, that kid ran a smart race." He ran 3:27.65 that night, an Olympic record.

The 23-year-old opens his 2025 season at the Millrose Games on Saturday, where he will meet Hobbs \
Kessler and Nuguse over a mile. Nuguse won the Wanamaker Mile there last February.

Hocker first made an Olympic team in 2021, when he was still at the University of Oregon. "Back \
then I was just happy to be there," he said. "Now people expect things. That's different."

He does not plan to race outdoors until April.""",
        [
            ath("Hocker", "Cole Hocker", 1),
            ath("Cole Hocker", "Cole Hocker"),
            evt("Olympic 1500m final", None),
            evt("Paris Olympics", PARIS24),
            date("2021", "2021", 1),
            err("2021", "wrong_date", "2024", 1, entity=f"event:{PARIS24}"),
            ath("Josh Kerr", "Josh Kerr"),
            ath("Yared Nuguse", "Yared Nuguse"),
            ath("Jakob Ingebrigtsen", JAKOB),
            ath("Hocker", "Cole Hocker", 3),
            date("2025", "2025"),
            evt("Millrose Games", "Millrose Games 2025"),
            date("Saturday", "2025-02-08"),
            ath("Hobbs Kessler", "Hobbs Kessler"),
            ath("Nuguse", "Yared Nuguse", 2),
            ath("Nuguse", "Yared Nuguse", 3),
            evt("Wanamaker Mile", "Wanamaker Mile 2024"),
            date("last February", "2024-02-01/2024-02-29"),
            ath("Hocker", "Cole Hocker", 4),
            date("2021", "2021", 2),
            date("April", "2025-04"),
        ],
    ),
    Article(
        9,
        "jepkosgei-profile",
        None,
        """\
From Iten to Boston: the long road of Winfred Jepkosgei

Winfred Jepkosgei was 16 when she ran her first race barefoot in Iten, the high-altitude town \
where she still trains. On 14 March 2019 she signed her first professional contract, and by the \
end of that year she had won the Valencia Half Marathon in 67:10.

Her coach, Josphat Kirwa, remembers a shy teenager who never missed a session. "She came every \
morning at six, even in the rain," he said.

Jepkosgei finished fifth at the 2022 World Championships in Eugene, one place behind her training \
partner Almaz Gebretsadik, and moved up to the marathon in July 2023. Last year she ran 2:18:40 to \
win the Amsterdam Marathon, and in 2024 she was named Kenya's road runner of the year.

She is not related to Joyciline Jepkosgei, the former half-marathon world record holder, although \
the two often train together. "People ask all the time," Winfred said. "We are sisters on the \
road, not at home."

Her next race is the Boston Marathon on 20 April 2026. Jepkosgei has never run in the United \
States before.""",
        [
            ath("Winfred Jepkosgei", None, 1),
            ath("Winfred Jepkosgei", None, 2),
            date("14 March 2019", "2019-03-14"),
            evt("Valencia Half Marathon", None),
            ath("Jepkosgei", None, 3),
            evt(
                "2022 World Championships in Eugene",
                "World Athletics Championships Oregon 2022 2022",
            ),
            date("2022", "2022"),
            ath("Almaz Gebretsadik"),
            date("July 2023", "2023-07"),
            date("Last year", None),
            evt("Amsterdam Marathon", None),
            date("2024", "2024"),
            ath("Joyciline Jepkosgei", "Joyciline Jepkosgei"),
            ath("Winfred", None, 3),
            evt("Boston Marathon", None),
            date("20 April 2026", "2026-04-20"),
            ath("Jepkosgei", None, 5),
        ],
    ),
    Article(
        10,
        "ostrava-notebook",
        None,
        """\
Ostrava notebook: Duplantis, Chebet and a Czech surprise

Mondo Duplantis won the pole vault at the Golden Spike Ostrava on 28 May 2024 with a clearance of \
6.00m, then spent half an hour signing autographs for the children who had waited in the rain. \
Duplantis had set the world record of 6.24m in Xiamen a month earlier.

Beatrice Chebet took the women's 5000m, but the loudest cheer of the evening was for Adéla \
Stránská, a 17-year-old from Brno who finished third in the 1500m in 4:05.12. Stránská had never \
broken 4:10 before this season.

The results sheet, dated 28/05/2024, lists 19 meeting records and national bests across the \
evening. The organisers called it the strongest edition they have staged.

Ostrava has hosted the meeting since 1961, when Emil Zátopek helped to found it, and its most \
famous winner remains Usain Bolt, who won the 100m here in 2008 and 2017. "Bolt still asks about \
Ostrava," said the meeting director, Jan Novotný.""",
        [
            ath("Duplantis", "Armand Duplantis", 1),
            ath("Chebet", "Beatrice Chebet", 1),
            ath("Mondo Duplantis", "Armand Duplantis"),
            evt("Golden Spike Ostrava", "Golden Spike Ostrava 2024"),
            date("28 May 2024", "2024-05-28"),
            ath("Duplantis", "Armand Duplantis", 3),
            ath("Beatrice Chebet", "Beatrice Chebet"),
            ath("Adéla Stránská"),
            ath("Stránská", None, 2),
            date("this season", None),
            date("28/05/2024", "2024-05-28"),
            date("1961", "1961"),
            ath("Emil Zátopek"),
            ath("Usain Bolt", "Usain Bolt"),
            date("2008", "2008"),
            date("2017", "2017"),
            ath("Bolt", "Usain Bolt", 2),
        ],
    ),
    Article(
        11,
        "glasgow-world-indoors",
        "2024-03-04",
        """\
Kerr delivers on home soil as Glasgow roars

Josh Kerr won the 3000m at the World Indoor Championships in Glasgow on Saturday, holding off the \
Ethiopians in a last-lap sprint that brought the arena to its feet.

"I've waited my whole life to race like that in front of this crowd," Kerr said. "My family were \
in the second row."

It was Kerr's second big performance in a month after he broke Mo Farah's world indoor two-mile \
record at the Millrose Games in New York last month.

Jakop Ingebrigtsen watched from home in Sandnes. The Norwegian has not raced since last September \
because of an Achilles injury, and his absence denied Glasgow a rematch of the Budapest final last \
August, when Kerr beat him to the world 1500m title.

Femke Bol broke her own world record to win the 400m, and Noah Lyles, the world 100m and 200m \
champion, took silver in the 60m behind his compatriot Christian Coleman.

Scotland's Ross Drummond, a 20-year-old student from Stirling, reached the 800m semi-finals on his \
senior debut.

Kerr now turns to the Paris Olympics, which open on 26 July. "Paris is the big one," he said.""",
        [
            ath("Kerr", "Josh Kerr", 1),
            ath("Josh Kerr", "Josh Kerr"),
            evt(
                "World Indoor Championships in Glasgow",
                "World Athletics Indoor Championships Glasgow 2024 2024",
            ),
            date("Saturday", "2024-03-02"),
            ath("Kerr", "Josh Kerr", 3),
            ath("Kerr", "Josh Kerr", 4),
            ath("Mo Farah", "Mo Farah"),
            evt("Millrose Games", "Millrose Games 2024"),
            date("last month", "2024-02-01/2024-02-29"),
            ath("Jakop Ingebrigtsen", JAKOB),
            err("Jakop", "misspelled_name", "Jakob"),
            date("last September", "2023-09-01/2023-09-30"),
            date("last August", "2023-08-01/2023-08-31"),
            ath("Kerr", "Josh Kerr", 5),
            ath("Femke Bol", "Femke Bol"),
            ath("Noah Lyles", "Noah Lyles"),
            ath("Christian Coleman", "Christian Coleman"),
            ath("Ross Drummond"),
            ath("Kerr", "Josh Kerr", 6),
            evt("Paris Olympics", PARIS24),
            date("26 July", "2024-07-26"),
        ],
    ),
    Article(
        12,
        "pre-classic-preview",
        "2025-07-03",
        """\
Kipyegon returns to Eugene after her sub-four bid

Faith Kipyegon returns to Hayward Field on Saturday for the Prefontaine Classic, nine days after \
her attempt to become the first woman to run a mile in under four minutes.

Kipyegon ran 4:06.42 at Breaking4 in Paris last Thursday, well short of the target but more than \
a second inside her own world record. "I showed the world that it is possible," she said. \
"Somebody will do it."

In Eugene she runs the 1500m, the event in which she has won three Olympic titles.

Jakob Ingebrigtsen is again absent, so the Bowerman Mile looks wide open. Niels Laros, Yared \
Nuguse and Cole Hocker head the field, and Nugusse, who ran 3:43.97 here in 2023, says he is ready \
for another fast one.

The most intriguing entry is Tanner Whitcombe, an 18-year-old from Spokane who ran 3:54 for the \
mile as a high school senior this spring.

The meeting starts on Saturday afternoon, and the organisers expect a sell-out crowd this \
weekend.""",
        [
            ath("Kipyegon", "Faith Kipyegon", 1),
            ath("Faith Kipyegon", "Faith Kipyegon"),
            date("Saturday", "2025-07-05", 1),
            evt("Prefontaine Classic", "Prefontaine Classic 2025"),
            ath("Kipyegon", "Faith Kipyegon", 3),
            evt("Breaking4 in Paris", "Breaking4 2025"),
            date("last Thursday", "2025-06-26"),
            ath("Jakob Ingebrigtsen", JAKOB),
            evt("Bowerman Mile", "Bowerman Mile 2025"),
            ath("Niels Laros", "Niels Laros"),
            ath("Yared Nuguse", "Yared Nuguse"),
            ath("Cole Hocker", "Cole Hocker"),
            ath("Nugusse", "Yared Nuguse"),
            err("Nugusse", "misspelled_name", "Nuguse"),
            date("2023", "2023"),
            ath("Tanner Whitcombe"),
            date("this spring", "2025-03-01/2025-05-31"),
            date("Saturday afternoon", "2025-07-05"),
            date("this weekend", "2025-07-05/2025-07-06"),
        ],
    ),
    Article(
        13,
        "lemayian-profile",
        "2025-02-24",
        """\
Lemayian, the quiet Kenyan with the loud finish

Kiprono Lemayian does not like talking about himself, which is a problem for a man who keeps \
winning. The 21-year-old from Kapsabet took the Kenyan cross-country title in Eldoret on \
Saturday, outsprinting the favourite Daniel Simiu Ebenyo in the final 100 metres.

"I just run, and then I see what happens," said Lemayain, who was spotted by a local teacher at 14.

Lemayian trains in the same group as Beatrice Chebet and Faith Kipyegon. He first caught the eye \
nine months ago, when he won a 1500m race in Nairobi in 3:33.80, and he finished second at the \
national trials last August.

His coach, Peter Ruto, says the cross-country title matters less than what comes next. "Lemayian \
is a miler," Ruto said. "The mud is just training."

Next on his list is the Kip Keino Classic in Nairobi in April, and then, he hopes, the World \
Championships in Tokyo in September. Lemayian has never raced outside Africa.""",
        [
            ath("Lemayian", None, 1),
            ath("Kiprono Lemayian"),
            date("Saturday", "2025-02-22"),
            ath("Daniel Simiu Ebenyo"),
            ath("Lemayain"),
            err("Lemayain", "misspelled_name", "Lemayian"),
            ath("Lemayian", None, 3),
            ath("Beatrice Chebet", "Beatrice Chebet"),
            ath("Faith Kipyegon", "Faith Kipyegon"),
            date("nine months ago", "2024-05-01/2024-05-31"),
            date("last August", "2024-08-01/2024-08-31"),
            ath("Lemayian", None, 4),
            evt("Kip Keino Classic in Nairobi", None),
            date("April", "2025-04"),
            evt("World Championships in Tokyo", TOKYO25),
            date("September", "2025-09"),
            ath("Lemayian", None, 5),
        ],
    ),
    Article(
        14,
        "paris-middle-distance",
        "2024-08-11",
        """\
Hodgkinson finally golden as British women shine in Paris

Keely Hodgkinson won the Olympic 800m title at the Stade de France on Monday night, ending a run \
of silver medals that had followed her since Tokyo. "I've dreamed about this since I was a little \
girl," Hodgkinson said.

Ethiopia's Tsige Duguma took silver and Mary Moraa, the 2023 world champion, won bronze.

Georgia Bell added a bronze in the 1500m on Saturday, running a British record of 3:52.61 behind \
Faith Kipyegon and Australia's Jessica Hull. Bell, 30, was working in cybersecurity two years ago \
and only returned to the sport in 2022.

Elsewhere, Ukraine's Yaroslava Mahuchik won the high jump last Sunday, a month after she broke the \
37-year-old world record at the Meeting de Paris.

Cole Hocker stunned the favourites to win the men's 1500m on Tuesday, with Josh Kerr second and \
Yared Nuguse third, while Jakob Ingebrigtsen, who faded to fourth, came back to win the 5000m on \
Saturday.

Britain leaves the Paris Olympics with its best middle-distance haul since 1984.""",
        [
            ath("Hodgkinson", "Keely Hodgkinson", 1),
            ath("Keely Hodgkinson", "Keely Hodgkinson"),
            date("Monday night", "2024-08-05"),
            ath("Hodgkinson", "Keely Hodgkinson", 3),
            ath("Tsige Duguma", "Tsige Duguma"),
            ath("Mary Moraa", "Mary Moraa"),
            date("2023", "2023"),
            ath("Georgia Bell", "Georgia Bell"),
            date("Saturday", "2024-08-10", 1),
            ath("Faith Kipyegon", "Faith Kipyegon"),
            ath("Jessica Hull", "Jessica Hull"),
            ath("Bell", "Georgia Bell", 2),
            date("two years ago", "2022"),
            date("2022", "2022"),
            ath("Yaroslava Mahuchik", "Yaroslava Mahuchikh"),
            err("Mahuchik", "misspelled_name", "Mahuchikh"),
            date("last Sunday", "2024-08-04"),
            evt("Meeting de Paris", "Meeting de Paris 2024"),
            ath("Cole Hocker", "Cole Hocker"),
            date("Tuesday", "2024-08-06"),
            ath("Josh Kerr", "Josh Kerr"),
            ath("Yared Nuguse", "Yared Nuguse"),
            ath("Jakob Ingebrigtsen", JAKOB),
            date("Saturday", "2024-08-10", 2),
            evt("Paris Olympics", PARIS24),
            date("1984", "1984"),
        ],
    ),
]
ARTICLES += [Article(*a) for a in articles_spelling.ARTICLES]  # planted spelling slips
ARTICLES += [Article(*a) for a in articles_claims.ARTICLES]  # planted wrong claims
ARTICLES += [Article(*a) for a in articles_results.ARTICLES]  # more planted wrong claims
ARTICLES += [Article(*a) for a in articles_phrasing.ARTICLES]  # phrasings found missed


# -- building and validating ---------------------------------------------------------------


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def locate(text: str, surface: str, n: int) -> int:
    """Start of the ``n``-th word-bounded occurrence of ``surface`` (str.find, 1-based n)."""
    seen = 0
    i = text.find(surface)
    while i >= 0:
        end = i + len(surface)
        if (i == 0 or not _is_word(text[i - 1])) and (end == len(text) or not _is_word(text[end])):
            seen += 1
            if seen == n:
                return i
        i = text.find(surface, i + 1)
    raise ValueError(f"{surface!r}: occurrence {n} not found ({seen} found)")


def _bounds(value: str) -> tuple[dt.date, dt.date]:
    def one(v: str, last: bool) -> dt.date:
        parts = [int(p) for p in v.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            if not last:
                return first
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(parts[0], 12, 31) if last else dt.date(parts[0], 1, 1)

    a, _, b = value.partition("/")
    return one(a, False), one(b or a, True)


def build_records(kb_keys: set[str]) -> list[dict]:
    records = []
    problems: list[str] = []
    for art in ARTICLES:
        where = f"article {art.id} ({art.slug})"
        words = len(art.text.split())
        if not 120 <= words <= 350:
            problems.append(f"{where}: {words} words, expected 120-350")
        if "\r" in art.text or art.text != art.text.strip():
            problems.append(f"{where}: text is not normalised")
        spans = []
        seen: set[tuple[int, int, str]] = set()
        for surface, n, label, error_type, correction, value, entity in art.spans:
            try:
                start = locate(art.text, surface, n)
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                continue
            end = start + len(surface)
            assert art.text[start:end] == surface
            ident = (start, end, label)
            if ident in seen:
                problems.append(f"{where}: {surface!r} #{n} ({label}) annotated twice")
            seen.add(ident)
            if label not in LABELS:
                problems.append(f"{where}: unknown label {label!r}")
            if label == "error":
                if error_type not in ERROR_TYPES or not correction:
                    problems.append(f"{where}: error {surface!r} needs a type and correction")
            elif error_type or correction:
                problems.append(f"{where}: {surface!r}: error fields on a {label}")
            if value is not None:
                if label != "date" or not _VALUE.fullmatch(value):
                    problems.append(f"{where}: {surface!r}: bad value {value!r}")
                else:
                    a, b = _bounds(value)
                    if a > b:
                        problems.append(f"{where}: {surface!r}: empty interval {value!r}")
            elif label == "date" and art.published is not None:
                problems.append(f"{where}: date {surface!r} has no value but published is set")
            if entity is not None and label in ("athlete", "event") and entity not in kb_keys:
                problems.append(f"{where}: {surface!r}: {entity!r} is not a KB key")
            spans.append(
                {
                    "start": start,
                    "end": end,
                    "label": label,
                    "text": surface,
                    "error_type": error_type,
                    "correction": correction,
                    "note": None,
                    "value": value,
                    "entity": entity,
                    "annotator": "gold",
                    "origin": "manual",
                    "status": "accepted",
                }
            )
        for label in LABELS:  # a label's spans never overlap each other
            own = sorted((s["start"], s["end"]) for s in spans if s["label"] == label)
            for (_, e1), (s2, _) in zip(own, own[1:], strict=False):
                if s2 < e1:
                    problems.append(f"{where}: overlapping {label} spans at {s2}")
        spans.sort(key=lambda s: (s["start"], s["end"], s["label"]))
        raw = crlf_bytes(art) if art.id == CRLF_ID else art.text.encode("utf-8")
        records.append(
            document_record(
                id=art.id,
                title=art.text.split("\n", 1)[0],
                source=f"eval/{art.slug}.txt",
                published=art.published,
                sha256=hashlib.sha256(raw).hexdigest(),
                text=art.text,
                spans=spans,
            )
        )
    if sum(a.published is None for a in ARTICLES) != 2:
        problems.append("exactly two articles should have no published date")
    if len({a.id for a in ARTICLES}) != len(ARTICLES):
        problems.append("duplicate article ids")
    if problems:
        raise SystemExit("gold set is invalid:\n  " + "\n  ".join(problems))
    return records


def crlf_bytes(art: Article) -> bytes:
    """The raw file as a Windows editor would save it: date header, CRLF line ends."""
    raw = f"date {art.published}\n{art.text}\n"
    return raw.replace("\n", "\r\n").encode("utf-8")


def kb_keys() -> set[str]:
    kb = REPO / "resources" / "kb"
    athletes = kbcsv.read_athletes(kb / "athletes.csv")
    events = kbcsv.read_events(kb / "events.csv")
    return {a.key for a in athletes} | {e.key for e in events}


def render() -> tuple[str, bytes]:
    records = build_records(kb_keys())
    jsonl = "".join(dumps_line(r) + "\n" for r in records)
    list(iter_jsonl_records(jsonl.splitlines()))  # the importer's own validation
    crlf = next(a for a in ARTICLES if a.id == CRLF_ID)
    return jsonl, crlf_bytes(crlf)


def review(records: list[dict]) -> None:
    for r in records:
        text = r["text"]
        print(f"=== {r['id']} {r['title']}  (published {r['published']})")
        for s in r["spans"]:
            ctx = text[max(0, s["start"] - 25) : s["start"]].replace("\n", " ")
            extra = " ".join(
                f"{k}={s[k]}" for k in ("error_type", "correction", "value", "entity") if s[k]
            )
            print(f"  {s['start']:5d} {s['label']:<8} …{ctx}[{s['text']}]  {extra}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    parser.add_argument("--review", action="store_true", help="print the annotated articles")
    args = parser.parse_args(argv)
    jsonl, crlf = render()
    if args.review:
        review(list(iter_jsonl_records(jsonl.splitlines())))
        return 0
    if args.check:
        stale = [
            p.name
            for p, want in ((GOLD, jsonl.encode("utf-8")), (CRLF_FILE, crlf))
            if not p.is_file() or p.read_bytes() != want
        ]
        if stale:
            print(f"stale: {', '.join(stale)}; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print("gold set is valid and up to date")
        return 0
    GOLD.write_bytes(jsonl.encode("utf-8"))
    CRLF_FILE.write_bytes(crlf)
    n = sum(len(r["spans"]) for r in iter_jsonl_records(jsonl.splitlines()))
    print(f"wrote {GOLD.name} ({len(ARTICLES)} documents, {n} spans) and {CRLF_FILE.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
