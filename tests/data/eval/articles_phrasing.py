"""Evaluation articles with planted wrong claims in the phrasings a first reading of new
articles missed, for make_gold.py (which adds them to its set and validates them like the
others).

Written after trying the engine on articles it had not seen: world records named by their
holder and exact mark without the words "world record", or by the holder with the city and a
date of the day; a title count after an opening phrase; and title counts that name the event
("her second world 400m hurdles title") (39); and a World Indoors report whose medals are
claimed as placings ("finished second") and in relative clauses ("Gourley, who took bronze")
(40). Every claim is true according to resources/kb/results.csv and records.csv unless it is
annotated as an error.

Annotations have make_gold.py's shape, ``(surface, occurrence, label, error_type, correction,
value, entity)``.
"""

from __future__ import annotations

from gold_annotations import Ann, ath, date, err, evt

TOKYO25 = "World Athletics Championships Tokyo 2025 2025"
NANJING25 = "World Athletics Indoor Championships Nanjing 2025 2025"

#: (id, slug, published, text, annotations)
ARTICLES: list[tuple[int, str, str | None, str, list[Ann]]] = [
    (
        39,
        "records-and-titles-the-long-way",
        "2026-03-02",
        """\
Records and titles, told the long way

Marita Koch's 47.60 in the women's 400m was set in Canberra in 1986, and nobody has come within \
half a second of it since.

Faith Kipyegon lowered her 1500m world record to 3:48.86 in Eugene last July, a year after \
running 3:49.04 in Paris. On the same afternoon Beatrice Chebet became the first woman under 14 \
minutes for 5000m, clocking 13:58.06 to take the record from Gudaf Tsegay, who had run 14:00.21 \
in Oslo in 2023.

Karsten Warholm's 45.94 in the 400m hurdles came at the Tokyo Olympics in August 2021, a month \
after he had broken the old record with 46.70 in Oslo. David Rudisha's 1:40.91 in the 800m, run \
at the London Olympics in 2012, still stands.

Two days after the qualifying round, Ethan Katzberg won the hammer at the Tokyo World \
Championships with 84.70, beating Merlin Hummel, his first world title. Femke Bol won the 400m \
hurdles at the World Championships in Tokyo in 51.54, her second world 400m hurdles title, and \
Grant Holloway won the 60m hurdles at the World Indoor Championships in Nanjing, his third world \
indoor 60m hurdles title.""",
        [
            ath("Marita Koch", "Marita Koch"),
            date("1986", "1986"),
            err("1986", "wrong_date", "1985"),
            ath("Faith Kipyegon", "Faith Kipyegon"),
            err("3:48.86", "wrong_number", "3:48.68"),
            date("last July", "2025-07-01/2025-07-31"),
            ath("Beatrice Chebet", "Beatrice Chebet"),
            ath("Gudaf Tsegay", "Gudaf Tsegay"),
            err("Oslo", "wrong_fact", "Eugene", 1),
            date("2023", "2023"),
            ath("Karsten Warholm", "Karsten Warholm"),
            evt("Tokyo Olympics", "Tokyo Olympics 2021"),
            date("August 2021", "2021-08"),
            ath("David Rudisha", "David Rudisha"),
            evt("London Olympics", None),
            date("2012", "2012"),
            ath("Ethan Katzberg", "Ethan Katzberg"),
            evt("Tokyo World Championships", TOKYO25),
            ath("Merlin Hummel", "Merlin Hummel"),
            err("his first world title", "wrong_fact", "his second world title"),
            ath("Femke Bol", "Femke Bol"),
            evt("World Championships in Tokyo", TOKYO25),
            ath("Grant Holloway", "Grant Holloway"),
            evt("World Indoor Championships in Nanjing", NANJING25),
        ],
    ),
    (
        40,
        "nanjing-closing-day",
        "2025-03-24",
        """\
Ingebrigtsen completes his double as the World Indoors close in Nanjing

Jakob Ingebrigtsen won the men's 1500m at the World Indoors in Nanjing on Sunday, a day after \
taking the 3000m title. Neil Gourley, who took bronze in the 1500m, said the pace had been \
brutal, and Luke Houser finished second. The Norwegian said afterwards that the double had been \
the aim of his whole winter, and that he would now rest for a few weeks.

In the women's 1500m, Gudaf Tsegay won in 3:54.86, more than four seconds clear of Diribe \
Welteji. Georgia Bell, who took bronze in the 1500m, was the best of the British.

Grant Holloway won the 60m hurdles on Saturday in 7.42, his third world indoor 60m hurdles \
title, and Mondo Duplantis cleared 6.15 to win the pole vault, with Emmanouil Karalis second \
and Sam Kendricks finishing third.""",
        [
            evt("World Indoors", NANJING25),
            ath("Jakob Ingebrigtsen", "Jakob Ingebrigtsen"),
            evt("World Indoors in Nanjing", NANJING25),
            date("Sunday", "2025-03-23"),
            ath("Neil Gourley", "Neil Gourley"),
            err("took bronze", "wrong_fact", "took silver"),
            ath("Luke Houser", "Luke Houser"),
            err("finished second", "wrong_fact", "finished third"),
            ath("Gudaf Tsegay", "Gudaf Tsegay"),
            ath("Diribe Welteji", "Diribe Welteji"),
            ath("Georgia Bell", "Georgia Bell"),
            ath("Grant Holloway", "Grant Holloway"),
            date("Saturday", "2025-03-22"),
            ath("Mondo Duplantis", "Armand Duplantis"),
            ath("Emmanouil Karalis", "Emmanouil Karalis"),
            ath("Sam Kendricks", "Sam Kendricks"),
        ],
    ),
]
