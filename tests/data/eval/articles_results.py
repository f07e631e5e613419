"""More evaluation articles with planted wrong claims, for make_gold.py (which adds them to its
set and validates them like the others).

Written for this set, beyond the middle-distance races of articles_claims.py: a field-events
report from the Budapest World Championships 2023 (34), a World Indoor Championships report from
Nanjing 2025 (35), an Olympic road-race and combined-events piece comparing Paris 2024 with Tokyo
2020 (36), a review of the Tokyo World Championships 2025 with "first"/"second"/"third world
title" claims and marks at two championships joined by "after"/"before" (37), and a hurdles
feature comparing athletes across championships: winners, medals, marks, margins and final dates
(38). Nobody in them is invented: every athlete is in resources/kb/athletes.csv. Every medal,
winner, mark, margin, final date, title count and order is true according to
resources/kb/results.csv unless it is annotated as an error; the correct ones are there to be left
alone.

Annotations have make_gold.py's shape, ``(surface, occurrence, label, error_type, correction,
value, entity)``.
"""

from __future__ import annotations

from gold_annotations import Ann, ath, date, err, evt

JAKOB, DUPLANTIS = "Jakob Ingebrigtsen", "Armand Duplantis"
HOLLOWAY, SML, BOL = "Grant Holloway", "Sydney McLaughlin-Levrone", "Femke Bol"
BUDAPEST23 = "World Athletics Championships Budapest 2023 2023"
EUGENE22 = "World Athletics Championships Oregon 2022 2022"
TOKYO25 = "World Athletics Championships Tokyo 2025 2025"
NANJING25 = "World Athletics Indoor Championships Nanjing 2025 2025"
PARIS24, TOKYO21 = "Paris Olympics 2024", "Tokyo Olympics 2021"

#: (id, slug, published, text, annotations)
ARTICLES: list[tuple[int, str, str | None, str, list[Ann]]] = [
    (
        34,
        "budapest-field-events",
        "2023-08-28",
        """\
Shared golds and a javelin duel in Budapest

Neeraj Chopra won the javelin at the Budapest World Championships on Sunday night, closing \
nine days in which the field events produced most of the drama.

Chopra threw 88.17 to beat Arshad Nadeem by 0.35 metres, and Jakub Vadlejch took bronze. It \
was a first world title for the Indian, who had won silver in Eugene a year earlier.

The women's pole vault on August 23 ended in a tie. Katie Moon and Nina Kennedy both cleared \
4.90 and agreed to share the gold rather than jump off, while Wilma Murto took silver with \
4.80.

Mondo Duplantis won the men's pole vault with 6.10, and the bronze was shared as well: Chris \
Nilsen and Kurtis Marschall both cleared 5.95 behind Ernest John Obiena, who took silver.

Gianmarco Tamberi won gold in the high jump with 2.36. JuVaughn Harrison cleared the same \
height but took silver on countback, and Mutaz Essa Barshim took bronze with 2.33.

Ryan Crouser had opened the championships by winning the shot put on August 19 with 23.15. \
Yulimar Rojas won the triple jump with 15.08 on August 26, ahead of Maryna Bekh-Romanchuk.

Miltiadis Tentoglou won the long jump with 8.52, two centimetres ahead of Wayne Pinnock, and \
on the last day Yaroslava Mahuchikh won the women's high jump with 2.01, ahead of the \
Australians Eleanor Patterson and Nicola Olyslagers.""",
        [
            ath("Neeraj Chopra", "Neeraj Chopra"),
            evt("Budapest World Championships", BUDAPEST23),
            date("Sunday night", "2023-08-27"),
            ath("Chopra", "Neeraj Chopra", 2),
            ath("Arshad Nadeem", "Arshad Nadeem"),
            ath("Jakub Vadlejch", "Jakub Vadlejch"),
            date("August 23", "2023-08-23"),
            ath("Katie Moon", "Katie Moon"),
            ath("Nina Kennedy", "Nina Kennedy"),
            ath("Wilma Murto", "Wilma Murto"),
            err("took silver", "wrong_fact", "took bronze", 1),
            ath("Mondo Duplantis", DUPLANTIS),
            ath("Chris Nilsen", "Chris Nilsen"),
            ath("Kurtis Marschall", "Kurtis Marschall"),
            ath("Ernest John Obiena", "Ernest John Obiena"),
            ath("Gianmarco Tamberi", "Gianmarco Tamberi"),
            ath("JuVaughn Harrison", "JuVaughn Harrison"),
            ath("Mutaz Essa Barshim", "Mutaz Essa Barshim"),
            ath("Ryan Crouser", "Ryan Crouser"),
            date("August 19", "2023-08-19"),
            err("23.15", "wrong_number", "23.51"),
            ath("Yulimar Rojas", "Yulimar Rojas"),
            date("August 26", "2023-08-26"),
            err("August 26", "wrong_date", "August 25"),
            ath("Maryna Bekh-Romanchuk", "Maryna Bekh-Romanchuk"),
            ath("Miltiadis Tentoglou", "Miltiadis Tentoglou"),
            ath("Wayne Pinnock", "Wayne Pinnock"),
            ath("Yaroslava Mahuchikh", "Yaroslava Mahuchikh"),
            ath("Eleanor Patterson", "Eleanor Patterson"),
            ath("Nicola Olyslagers", "Nicola Olyslagers"),
        ],
    ),
    (
        35,
        "nanjing-world-indoors",
        "2025-03-24",
        """\
Azu and Anning strike gold as Ingebrigtsen doubles up in Nanjing

Jeremiah Azu won the 60m at the World Indoor Championships in Nanjing on Friday, edging \
Lachlan Kennedy by one hundredth of a second in 6.49. Akani Simbine took bronze in 6.54.

Amber Anning made it two British golds on Saturday, holding off Alexis Holmes to win the 400m \
in 50.60. In the women's 60m, Mujinga Kambundji won gold in 7.04 and Zaynab Dosso took bronze.

Grant Holloway retained his 60m hurdles title with 7.42, winning by 0.21 seconds from Wilhem \
Belocian. Devynne Charlton also defended her 60m hurdles title, winning by one hundredth of a \
second from Ditaji Kambundji.

Mondo Duplantis won the pole vault with 6.05, well short of his own world record but \
comfortably clear of the field.

Jakob Ingebrigtsen won the 3000m on Saturday and completed the double on Sunday, taking the \
1500m in 3:38.79. Neil Gourley took silver for Britain and Luke Houser took bronze.

Gudaf Tsegay won the women's 1500m in 3:54.86, more than four seconds clear of the rest, and \
Georgia Bell took bronze.

Nicola Olyslagers won the high jump with 1.97, and her compatriot Eleanor Patterson took \
silver at the same height on countback.""",
        [
            ath("Azu", "Jeremiah Azu", 1),
            ath("Anning", "Amber Anning", 1),
            ath("Ingebrigtsen", JAKOB, 1),
            ath("Jeremiah Azu", "Jeremiah Azu"),
            evt("World Indoor Championships in Nanjing", NANJING25),
            date("Friday", "2025-03-21"),
            ath("Lachlan Kennedy", "Lachlan Kennedy"),
            ath("Akani Simbine", "Akani Simbine"),
            ath("Amber Anning", "Amber Anning"),
            date("Saturday", "2025-03-22", 1),
            ath("Alexis Holmes", "Alexis Holmes"),
            ath("Mujinga Kambundji", "Mujinga Kambundji"),
            ath("Zaynab Dosso", "Zaynab Dosso"),
            err("took bronze", "wrong_fact", "took silver", 2),
            ath("Grant Holloway", "Grant Holloway"),
            err("0.21 seconds", "wrong_number", "0.12 seconds"),
            ath("Wilhem Belocian", "Wilhem Belocian"),
            ath("Devynne Charlton", "Devynne Charlton"),
            ath("Ditaji Kambundji", "Ditaji Kambundji"),
            ath("Mondo Duplantis", DUPLANTIS),
            err("6.05", "wrong_number", "6.15"),
            ath("Jakob Ingebrigtsen", JAKOB),
            date("Saturday", "2025-03-22", 2),
            date("Sunday", "2025-03-23"),
            ath("Neil Gourley", "Neil Gourley"),
            ath("Luke Houser", "Luke Houser"),
            ath("Gudaf Tsegay", "Gudaf Tsegay"),
            ath("Georgia Bell", "Georgia Bell"),
            ath("Nicola Olyslagers", "Nicola Olyslagers"),
            ath("Eleanor Patterson", "Eleanor Patterson"),
        ],
    ),
    (
        36,
        "olympic-roads-multis",
        "2024-08-12",
        """\
Roads and multi-events: how Paris compared with Tokyo

Tamirat Tola won the men's marathon at the Paris Olympics on Saturday in 2:06:26, with Bashir \
Abdi second and Benson Kipruto third. Abdi, who took bronze at the Tokyo Olympics three years \
ago, went one better.

The women's marathon on August 10 was won by Sifan Hassan. She beat Tigst Assefa by three \
seconds in 2:22:55, and Hellen Obiri took bronze. At the Tokyo Olympics, the women's marathon \
was won by Brigid Kosgei, and Molly Seidel took bronze.

In the heptathlon, Nafissatou Thiam retained her title on Friday with 6880 points, 36 points \
ahead of Katarina Johnson-Thompson, with Noor Vidts third. Thiam had scored 6791 to win at the \
Tokyo Olympics.

Markus Rooth won the decathlon on August 3 with 8796 points, ahead of Leo Neugebauer and \
Lindon Victor. The Norwegian's score was still well short of the 9108 points with which Damian \
Warner won the decathlon at the Tokyo Olympics.

The first medals of the road events went to the walkers. In the 20km race walk on August 1, \
Brian Daniel Pintado won the men's race in 1:18:55, with Caio Bonfim taking silver, and Yang \
Jiayu won the women's race in 1:25:54 ahead of María Pérez.""",
        [
            ath("Tamirat Tola", "Tamirat Tola"),
            evt("Paris Olympics", PARIS24),
            date("Saturday", "2024-08-10"),
            ath("Bashir Abdi", "Bashir Abdi"),
            ath("Benson Kipruto", "Benson Kipruto"),
            ath("Abdi", "Bashir Abdi", 2),
            evt("Tokyo Olympics", TOKYO21, 1),
            date("three years ago", "2021"),
            date("August 10", "2024-08-10"),
            err("August 10", "wrong_date", "August 11"),
            ath("Sifan Hassan", "Sifan Hassan"),
            ath("Tigst Assefa", "Tigst Assefa"),
            ath("Hellen Obiri", "Hellen Obiri"),
            evt("Tokyo Olympics", TOKYO21, 2),
            ath("Brigid Kosgei", "Brigid Kosgei"),
            err("Brigid Kosgei", "wrong_fact", "Peres Jepchirchir"),
            ath("Molly Seidel", "Molly Seidel"),
            ath("Nafissatou Thiam", "Nafissatou Thiam"),
            date("Friday", "2024-08-09"),
            ath("Katarina Johnson-Thompson", "Katarina Johnson-Thompson"),
            ath("Noor Vidts", "Noor Vidts"),
            ath("Thiam", "Nafissatou Thiam", 2),
            evt("Tokyo Olympics", TOKYO21, 3),
            ath("Markus Rooth", "Markus Rooth"),
            date("August 3", "2024-08-03"),
            ath("Leo Neugebauer", "Leo Neugebauer"),
            ath("Lindon Victor", "Lindon Victor"),
            err("9108", "wrong_number", "9018"),
            ath("Damian Warner", "Damian Warner"),
            evt("Tokyo Olympics", TOKYO21, 4),
            date("August 1", "2024-08-01"),
            ath("Brian Daniel Pintado", "Brian Daniel Pintado"),
            ath("Caio Bonfim", "Caio Bonfim"),
            ath("Yang Jiayu", "Yang Jiayu"),
            ath("María Pérez", "María Pérez"),
        ],
    ),
    (
        37,
        "tokyo-2025-review",
        "2025-09-22",
        """\
Repeat champions and first-timers: Tokyo in review

The World Championships in Tokyo ended on Sunday, and the throwing circles belonged to \
familiar faces.

Ethan Katzberg won the hammer with 84.70, his first world title. Katzberg's 84.70 in Tokyo \
came two years after his winning 81.25 at the Budapest World Championships.

Camryn Rogers won the women's hammer with 80.51, her second world title, and Daniel Ståhl won \
the discus on the final day with 70.47 for his third world title. Ståhl's 70.47 in Tokyo came \
two years before his 71.46 in Budapest.

Ryan Crouser won the shot put on the opening day with 22.34. Crouser's 23.51 in Budapest came \
two years before his 22.34 in Tokyo.

Valarie Allman, twice the Olympic discus champion, finally won her first world title with \
69.48.

Katie Moon cleared 4.90 to win the pole vault, her second world title.

Pedro Pichardo won the triple jump with 17.91 for his second world title. Caio Bonfim won the \
20km race walk, his first world title, a week after taking silver in the 35km.

On the track, Cordell Tinch won the 110m hurdles in 12.99, his first world title, and Isaac \
Nader won the 1500m in 3:34.10, also his first world title.""",
        [
            evt("World Championships in Tokyo", TOKYO25),
            date("Sunday", "2025-09-21"),
            ath("Ethan Katzberg", "Ethan Katzberg"),
            err("his first world title", "wrong_fact", "his second world title", 1),
            ath("Katzberg", "Ethan Katzberg", 2),
            evt("Budapest World Championships", BUDAPEST23),
            ath("Camryn Rogers", "Camryn Rogers"),
            ath("Daniel Ståhl", "Daniel Ståhl"),
            ath("Ståhl", "Daniel Ståhl", 2),
            err("before", "wrong_number", "after", 1),
            ath("Ryan Crouser", "Ryan Crouser"),
            ath("Crouser", "Ryan Crouser", 2),
            ath("Valarie Allman", "Valarie Allman"),
            ath("Katie Moon", "Katie Moon"),
            err("her second world title", "wrong_fact", "her third world title", 2),
            ath("Pedro Pichardo", "Pedro Pichardo"),
            ath("Caio Bonfim", "Caio Bonfim"),
            ath("Cordell Tinch", "Cordell Tinch"),
            ath("Isaac Nader", "Isaac Nader"),
        ],
    ),
    (
        38,
        "hurdles-across-championships",
        "2025-10-01",
        """\
Holloway, McLaughlin-Levrone and Bol: how the hurdles titles were shared out

Grant Holloway has been the standard in the 110m hurdles for years, but the results show how \
narrow some of his margins were.

Holloway won at the 2022 World Championships in Eugene in 13.03, then defended his title at \
the Budapest World Championships, winning the final on August 20, 2023 in 12.96. He beat \
Hansle Parchment by 0.11 seconds there, and Daniel Roberts took bronze.

The Olympics were less kind at first. The 110m hurdles at the Tokyo Olympics was won by Hansle \
Parchment, and Holloway took silver. He won gold at the Paris Olympics in 12.99 on August 8, \
2024, beating Daniel Roberts by two tenths.

At the World Championships in Tokyo last month, the 110m hurdles was won by Grant Holloway in \
12.99.

The women's 400m hurdles has been a duel between Sydney McLaughlin-Levrone and Femke Bol. The \
400m hurdles at the Tokyo Olympics was won by McLaughlin-Levrone, with Bol third. \
McLaughlin-Levrone won at the 2022 World Championships by 1.59 seconds from Bol, and at the \
Paris Olympics she won gold in 50.37 while Bol took silver.

Bol won the title at the Budapest World Championships on August 24, 2023 in 51.70, and won \
again in Tokyo in 51.54, with McLaughlin-Levrone switching to the flat 400m, which she won in \
47.78.""",
        [
            ath("Holloway", HOLLOWAY, 1),
            ath("McLaughlin-Levrone", SML, 1),
            ath("Bol", BOL, 1),
            ath("Grant Holloway", HOLLOWAY, 1),
            ath("Holloway", HOLLOWAY, 3),
            evt("2022 World Championships in Eugene", EUGENE22),
            date("2022", "2022", 1),
            evt("Budapest World Championships", BUDAPEST23, 1),
            date("August 20, 2023", "2023-08-20"),
            err("August 20", "wrong_date", "August 21"),
            ath("Hansle Parchment", "Hansle Parchment", 1),
            ath("Daniel Roberts", "Daniel Roberts", 1),
            evt("Olympics", None, 1),
            evt("Tokyo Olympics", TOKYO21, 1),
            ath("Hansle Parchment", "Hansle Parchment", 2),
            ath("Holloway", HOLLOWAY, 4),
            evt("Paris Olympics", PARIS24, 1),
            date("August 8, 2024", "2024-08-08"),
            ath("Daniel Roberts", "Daniel Roberts", 2),
            err("two tenths", "wrong_number", "one tenth"),
            evt("World Championships in Tokyo", TOKYO25),
            date("last month", "2025-09-01/2025-09-30"),
            ath("Grant Holloway", HOLLOWAY, 2),
            err("Grant Holloway", "wrong_fact", "Cordell Tinch", 2),
            ath("Sydney McLaughlin-Levrone", SML),
            ath("Femke Bol", BOL),
            evt("Tokyo Olympics", TOKYO21, 2),
            ath("McLaughlin-Levrone", SML, 3),
            ath("Bol", BOL, 3),
            ath("McLaughlin-Levrone", SML, 4),
            evt("2022 World Championships", EUGENE22, 2),
            date("2022", "2022", 2),
            ath("Bol", BOL, 4),
            evt("Paris Olympics", PARIS24, 2),
            ath("Bol", BOL, 5),
            err("took silver", "wrong_fact", "took bronze", 2),
            ath("Bol", BOL, 6),
            evt("Budapest World Championships", BUDAPEST23, 2),
            date("August 24, 2023", "2023-08-24"),
            ath("McLaughlin-Levrone", SML, 5),
        ],
    ),
]
