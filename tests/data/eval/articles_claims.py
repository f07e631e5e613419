"""Evaluation articles with planted wrong claims, for make_gold.py (which adds them to its set
and validates them like the others).

Written for this set: championship reports and a records feature whose medals, winners, marks,
margins, final dates, "first title" claims and world-record details can be checked against
resources/kb/results.csv and records.csv. Every such claim is true unless it is annotated as an
error; the correct ones are there to be left alone.

Annotations have make_gold.py's shape, ``(surface, occurrence, label, error_type, correction,
value, entity)``.
"""

from __future__ import annotations

from gold_annotations import Ann, ath, date, err, evt

JAKOB, NORDAS = "Jakob Ingebrigtsen", "Narve Gilje Nordås"
BUDAPEST23 = "World Athletics Championships Budapest 2023 2023"
EUGENE22 = "World Athletics Championships Oregon 2022 2022"
PARIS24, TOKYO21 = "Paris Olympics 2024", "Tokyo Olympics 2021"

#: (id, slug, published, text, annotations)
ARTICLES: list[tuple[int, str, str | None, str, list[Ann]]] = [
    (
        31,
        "kerr-budapest-1500m",
        "2023-08-24",
        """\
Kerr stuns Ingebrigtsen to take the world 1500m title

Josh Kerr won the 1500m final at the Budapest World Championships on Wednesday night in \
3:29.83, overtaking Jakob Ingebrigtsen down the home straight.

Ingebrigtsen took bronze in the 1500m after leading for most of the race. Narve Gilje \
Nordås completed a memorable night for Norway by finishing third in 3:29.68.

The margin was small, too. Kerr won the 1500m by 0.72 seconds. Few had expected him to beat \
Jakob over the distance at a global championship.

The win is the Scot's first global title. He finished third at the Tokyo Olympics in 2021, \
when Ingebrigtsen took the gold.

Ingebrigtsen still has the 5000m to come. The final is on August 27, and he starts as the \
favourite: he won the title at the 2022 World Championships in Eugene.

Elsewhere, Faith Kipyegon won gold in the women's 1500m at the Budapest World Championships on \
August 21, ahead of Diribe Welteji and Sifan Hassan. Kipyegon ran 3:54.87, and Hassan, who fell \
in the 10,000m, rallied to take bronze.""",
        [
            ath("Kerr", "Josh Kerr", 1),
            ath("Ingebrigtsen", JAKOB, 1),
            ath("Josh Kerr", "Josh Kerr"),
            evt("1500m final", None),
            evt("Budapest World Championships", BUDAPEST23),
            date("Wednesday night", "2023-08-23"),
            err("3:29.83", "wrong_number", "3:29.38"),
            ath("Jakob Ingebrigtsen", JAKOB),
            ath("Ingebrigtsen", JAKOB, 3),
            err("took bronze", "wrong_fact", "took silver"),
            ath("Narve Gilje Nordås", NORDAS),
            ath("Kerr", "Josh Kerr", 3),
            err("0.72 seconds", "wrong_number", "0.27 seconds"),
            ath("Jakob", JAKOB, 2),
            evt("Tokyo Olympics", TOKYO21),
            date("2021", "2021"),
            ath("Ingebrigtsen", JAKOB, 4),
            ath("Ingebrigtsen", JAKOB, 5),
            date("August 27", "2023-08-27"),
            evt("2022 World Championships in Eugene", EUGENE22),
            date("2022", "2022"),
            ath("Faith Kipyegon", "Faith Kipyegon"),
            evt("Budapest World Championships", BUDAPEST23, 2),
            date("August 21", "2023-08-21"),
            err("August 21", "wrong_date", "August 22"),
            ath("Diribe Welteji", "Diribe Welteji"),
            ath("Sifan Hassan", "Sifan Hassan"),
            ath("Kipyegon", "Faith Kipyegon", 2),
            ath("Hassan", "Sifan Hassan", 2),
        ],
    ),
    (
        32,
        "paris-distance-review",
        "2024-08-12",
        """\
What the Olympic distance finals taught us

The Paris Olympics delivered a week of fast distance finals, and the men's 1500m was the \
fastest of them all. Cole Hocker won the 1500m in 3:27.65, with Josh Kerr second and Yared \
Nuguse third, as the first four men all broke the old Olympic record.

Jakob Ingebrigtsen, fourth in that race, recovered to win the 5000m four days later. \
Ingebrigtsen called it his first Olympic title. Ingebrigtsen won the 5000m by 1.38 seconds from \
Ronald Kwemoi.

In the 10,000m, Grant Fisher took silver at the Paris Olympics. He added another medal in the \
5000m eight days later.

In the women's races, Beatrice Chebet completed a distance double. The 10,000m at the Paris \
Olympics was won by Sifan Hassan. Chebet had already beaten Faith Kipyegon over 5000m.

Kipyegon won her third Olympic title in the 1500m at the Paris Olympics, where Jessica Hull \
took silver and Georgia Bell took bronze.

On the final weekend, Emmanuel Wanyonyi won the 800m at the Paris Olympics by one hundredth of \
a second from Marco Arop after a long run for home.""",
        [
            evt("Paris Olympics", PARIS24),
            ath("Cole Hocker", "Cole Hocker"),
            ath("Josh Kerr", "Josh Kerr"),
            ath("Yared Nuguse", "Yared Nuguse"),
            ath("Jakob Ingebrigtsen", JAKOB),
            ath("Ingebrigtsen", JAKOB, 2),
            err("his first Olympic title", "wrong_fact", "his second Olympic title"),
            ath("Ingebrigtsen", JAKOB, 3),
            ath("Ronald Kwemoi", "Ronald Kwemoi"),
            ath("Grant Fisher", "Grant Fisher"),
            err("took silver", "wrong_fact", "took bronze"),
            evt("Paris Olympics", PARIS24, 2),
            ath("Beatrice Chebet", "Beatrice Chebet"),
            evt("Paris Olympics", PARIS24, 3),
            ath("Sifan Hassan", "Sifan Hassan"),
            err("Sifan Hassan", "wrong_fact", "Beatrice Chebet"),
            ath("Chebet", "Beatrice Chebet", 2),
            ath("Faith Kipyegon", "Faith Kipyegon"),
            ath("Kipyegon", "Faith Kipyegon", 2),
            evt("Paris Olympics", PARIS24, 4),
            ath("Jessica Hull", "Jessica Hull"),
            ath("Georgia Bell", "Georgia Bell"),
            ath("Emmanuel Wanyonyi", "Emmanuel Wanyonyi"),
            evt("Paris Olympics", PARIS24, 5),
            ath("Marco Arop", "Marco Arop"),
        ],
    ),
    (
        33,
        "oldest-world-records",
        "2025-07-12",
        """\
The oldest marks in the book

Some world records fall every summer. Faith Kipyegon lowered her own 1500m world record to \
3:48.68 at the Prefontaine Classic this month. At the same Prefontaine Classic, Beatrice Chebet \
broke the 5000m world record with 13:58.60. Kipyegon's world record of 3:48.68 came a year \
before her 3:49.04 in Paris.

Others have barely moved in decades. In the women's 400m, Marita Koch's world record of 47.60 \
has stood since 1983, longer than most of the athletes chasing it have been alive.

The men's long jump world record of 8.95 was set by Bob Beamon in Tokyo in 1991, in one of the \
great duels in the history of the sport.

Hicham El Guerrouj's world record of 3:26.00 in the 1500m was set in Rome in 1998. Jakob \
Ingebrigtsen has come closer than anyone else in recent seasons, but he still needs almost three \
quarters of a second.

Among the newer marks, the 110m hurdles world record of 12.80 was set by Aries Merritt in Zürich \
in 2012. The men's 400m world record of 43.03, set by Wayde van Niekerk in Rio de Janeiro, dates \
from August 2016.

Javier Sotomayor's high jump world record of 2.45, set in Salamanca in 1993, has survived more \
than three decades of attempts.""",
        [
            ath("Faith Kipyegon", "Faith Kipyegon"),
            evt("Prefontaine Classic", "Prefontaine Classic 2025"),
            date("this month", "2025-07-01/2025-07-31"),
            evt("Prefontaine Classic", "Prefontaine Classic 2025", 2),
            ath("Beatrice Chebet", "Beatrice Chebet"),
            err("13:58.60", "wrong_number", "13:58.06"),
            ath("Kipyegon", "Faith Kipyegon", 2),
            err("before", "wrong_number", "after"),
            ath("Marita Koch", "Marita Koch"),
            date("1983", "1983"),
            err("1983", "wrong_date", "1985"),
            ath("Bob Beamon", "Bob Beamon"),
            err("Bob Beamon", "wrong_fact", "Mike Powell"),
            date("1991", "1991"),
            ath("Hicham El Guerrouj", "Hicham El Guerrouj"),
            date("1998", "1998"),
            ath("Jakob Ingebrigtsen", JAKOB),
            ath("Aries Merritt", "Aries Merritt"),
            err("Zürich", "wrong_fact", "Brussels"),
            date("2012", "2012"),
            ath("Wayde van Niekerk", "Wayde van Niekerk"),
            date("August 2016", "2016-08"),
            ath("Javier Sotomayor", "Javier Sotomayor"),
            date("1993", "1993"),
        ],
    ),
]
