"""An evaluation article with planted wrong claims in the phrasings a first reading of new
articles missed, for make_gold.py (which adds it to its set and validates it like the others).

Written after trying the engine on articles it had not seen: world records named by their
holder and exact mark without the words "world record", or by the holder with the city and a
date of the day; a title count after an opening phrase; and title counts that name the event
("her second world 400m hurdles title"). Every claim is true according to
resources/kb/results.csv and records.csv unless it is annotated as an error.

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
]
