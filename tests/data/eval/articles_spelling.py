"""Evaluation articles with planted spelling slips, for make_gold.py (which adds them to its set
and validates them like the others).

Written for this set: misspelled ordinary words, repeated words and misspelled surnames, next
to correct text a spell checker must leave alone (accented names and their plain ASCII forms,
marks, times, units, PB/SB/DNF, splits, invented names; British and American spellings).
Sondre Vikhammar, Oddvar Lunde, Eskil Brattvold, Kiptoo Sigei and Dawit Mengesha are invented;
so are the results of the meetings described, but no claim checkable against the knowledge
base (medals, titles, records) is false unless it is annotated as an error.

Annotations have make_gold.py's shape, ``(surface, occurrence, label, error_type, correction,
value, entity)``; a repeated word is one error over both words with the word once as its
correction.
"""

from __future__ import annotations

from gold_annotations import Ann, ath, date, err, evt

STAHL, ALEKNA, CEH = "Daniel Ståhl", "Mykolas Alekna", "Kristjan Čeh"
NORDAS, HASSAN = "Narve Gilje Nordås", "Sifan Hassan"

#: (id, slug, published, text, annotations)
ARTICLES: list[tuple[int, str, str | None, str, list[Ann]]] = [
    (
        21,
        "stockholm-discus-duel",
        "2025-06-16",
        """\
Ståhl wins the discus duel in Stockholm

Daniel Ståhl gave the home crowd what it wanted at the Bauhaus-Galan on Sunday, throwing 69.48m \
in the fifth round to beat Mykolas Alekna and Kristjan Čeh in a contest decided by less than a \
metre.

The Swede had been second for most of the the evening. Alekna, the 22-year-old Lithuanian, led \
with 68.71m from his opening throw, and Čeh answered with 68.02m. "I had to beleive the big one \
was still there," Ståhl said. "The ring was quick and the wind was behind us, about 2 m/s, which \
helps if you can keep the disc flat."

Alkena was gracious in defeat. He has thrown beyond 70 metres twice already, including 71.20m in \
April, and said he had not been worried untill the last round. Čeh, who finished third, recorded \
a DNF in the shot put at the same meeting last year and admitted he was still learning to throw \
well when tired.

Behind the top three, Matthew Denny of Australia was fourth with 66.90m. Sondre Vikhammar, a \
24-year-old Norwegian making his Diamond League debut, finished sixth with an SB of 63.14m. \
"Three throws over 63 metres in my first big meeting is a good start," Vikhammar said. "Next \
time I want a PB."

Ståhl was more cautious about his own form. His series was uneven, with two fouls, and he \
said the technical changes he made over the off-season were only now paying off. "My coach \
and I took the throw apart after last summer and put it back together slowly," he said.

The leading throwers meet again at the Golden Spike Ostrava on 24 June, where Alekna and Čeh \
have both thrown well in the past. Ståhl has not decided whether he will travel.""",
        [
            ath("Ståhl", STAHL, 1),
            ath("Daniel Ståhl", STAHL),
            evt("Bauhaus-Galan", "Bauhaus-Galan 2025"),
            date("Sunday", "2025-06-15"),
            ath("Mykolas Alekna", ALEKNA),
            ath("Kristjan Čeh", CEH),
            err("the the", "other", "the"),
            ath("Alekna", ALEKNA, 2),
            ath("Čeh", CEH, 2),
            err("beleive", "misspelling", "believe"),
            ath("Ståhl", STAHL, 3),
            ath("Alkena", ALEKNA),
            err("Alkena", "misspelled_name", "Alekna"),
            date("April", "2025-04"),
            err("untill", "misspelling", "until"),
            ath("Čeh", CEH, 3),
            date("last year", "2024"),
            ath("Matthew Denny", "Matthew Denny"),
            ath("Sondre Vikhammar"),
            evt("Diamond League", None),
            ath("Vikhammar", None, 2),
            ath("Ståhl", STAHL, 4),
            date("last summer", "2024-06-01/2024-08-31"),
            evt("Golden Spike Ostrava", "Golden Spike Ostrava 2025"),
            date("24 June", "2025-06-24"),
            ath("Alekna", ALEKNA, 3),
            ath("Čeh", CEH, 4),
            ath("Ståhl", STAHL, 5),
        ],
    ),
    (
        22,
        "nordas-bergen-10km",
        "2025-04-28",
        """\
Nordås builds towards Oslo with a fast 10km in Bergen

Narve Gilje Nordås ran 27:41 over 10km in Bergen on Saturday, his first race since a calf \
problem in February. The Norwegian, who won bronze in the 1500m at the Budapest World \
Championships, will now turn his attention to the Bislett Games in Oslo on 12 June.

His coach, Oddvar Lunde, said the plan had not changed. "We never planned many races before \
Oslo," Lunde said. "Narve had a scan in March wich showed the injury had healed, and since then \
he has put in 160km weeks at altitude. He has his strenght back."

Nordas, as his name appears on most international start lists, was paced through the first 5km \
in 13:58 by his training partner Eskil Brattvold and then ran alone. The splits were even, and \
his last kilometre of 2:41 was the quickest of the race. Brattvold dropped out after 6km, as \
planned, and was recorded as a DNF.

Sifan Hasan also ran in Bergen, racing the women's 5km as part of her own build-up to to the \
track season. Hassan, the marathon champion at the Paris Olympics, finished in 14:52 and said \
she had enjoyed the cold. "It occured to me halfway that I had not raced in gloves since I was \
a junior," she said, laughing.

Nordås was asked whether he would double up in Oslo. He smiled and said that one race at a time \
had served him well so far, and that the 1500m would always be his first love. "The mile is \
fun, the 5000m is a challenge, but the 1500m is where I belong," he said. A decision on which \
championships he will enter will be made in May, after a block of training in the mountains.""",
        [
            ath("Nordås", NORDAS, 1),
            ath("Narve Gilje Nordås", NORDAS),
            date("Saturday", "2025-04-26"),
            date("February", "2025-02"),
            evt("Budapest World Championships", "World Athletics Championships Budapest 2023 2023"),
            evt("Bislett Games in Oslo", "Bislett Games 2025"),
            date("12 June", "2025-06-12"),
            date("March", "2025-03"),
            err("wich", "misspelling", "which"),
            ath("Narve", NORDAS, 2),
            err("strenght", "misspelling", "strength"),
            ath("Nordas", NORDAS),
            ath("Eskil Brattvold"),
            ath("Brattvold", None, 2),
            ath("Sifan Hasan", HASSAN),
            err("Hasan", "misspelled_name", "Hassan"),
            err("to to", "other", "to"),
            ath("Hassan", HASSAN, 1),
            evt("Paris Olympics", "Paris Olympics 2024"),
            err("occured", "misspelling", "occurred"),
            ath("Nordås", NORDAS, 3),
            date("May", "2025-05"),
        ],
    ),
    (
        23,
        "rooks-eugene-steeplechase",
        "2025-07-07",
        """\
Rooks finds his kick again in Eugene

Kenneth Rooks took silver behind Soufiane El Bakkali at the Paris Olympics. On Saturday at the \
Prefontaine Classic he went one better, running a \
negative split and clearing the final water jump a full stride ahead of the field to win in \
8:09.31.

"I've been building toward this since last summer," Rooks said. "The last 200 meters felt like \
they lasted forever, but I knew nobody was coming back at me."

El Bakkali was not in the field, so the race was left to the Americans and a strong Kenyan \
trio. Rooks sat fourth behind the pacemaker for the first two kilometers, then moved to the \
front with three laps to go. His final lap of 60.8 seconds was the fastest of the day, and \
from the begining of the bell lap the gap only grew.

Behind him, Kiptoo Sigei, a 19-year-old from Iten, ran a personal best of 8:10.02 to take \
second, and Dawit Mengesha was third. Sigei said it was neccessary to run his own race rather \
than follow the favorites. "In Kenya we learn to be patient," he said. "This time I was was brave \
in the middle of the race and patient at the end."

The women's race went to Faith Cherotich, who controlled it from the front and won in 8:58.66. \
Valerie Constien was the top American in fourth after a fall at the second water jump. \
Cherotch said she had acheived what she came for: a fast time in cool weather and no injuries.

Both winners are expected at the World Championships in Tokyo in September, where the men's \
final is one of the most open events on the program.""",
        [
            ath("Rooks", "Kenneth Rooks", 1),
            ath("Kenneth Rooks", "Kenneth Rooks"),
            ath("Soufiane El Bakkali", "Soufiane El Bakkali"),
            evt("Paris Olympics", "Paris Olympics 2024"),
            date("Saturday", "2025-07-05"),
            evt("Prefontaine Classic", "Prefontaine Classic 2025"),
            date("last summer", "2024-06-01/2024-08-31"),
            ath("Rooks", "Kenneth Rooks", 3),
            ath("El Bakkali", "Soufiane El Bakkali", 2),
            ath("Rooks", "Kenneth Rooks", 4),
            err("begining", "misspelling", "beginning"),
            ath("Kiptoo Sigei"),
            ath("Dawit Mengesha"),
            ath("Sigei", None, 2),
            err("neccessary", "misspelling", "necessary"),
            err("was was", "other", "was"),
            ath("Faith Cherotich", "Faith Cherotich"),
            ath("Valerie Constien", "Valerie Constien"),
            ath("Cherotch", "Faith Cherotich"),
            err("Cherotch", "misspelled_name", "Cherotich"),
            err("acheived", "misspelling", "achieved"),
            evt("World Championships in Tokyo", "World Athletics Championships Tokyo 2025 2025"),
            date("September", "2025-09"),
        ],
    ),
]
