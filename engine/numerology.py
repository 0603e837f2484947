"""Numbers from the birth date and name: life path, expression number, tarot birth cards, Chinese sign.

Life path: day, month and year are each reduced, then their sum, keeping the master numbers 11, 22 and 33.
Expression: the Pythagorean value of every letter of the full name (accents stripped; A=1 … I=9, J=1 …),
summed and reduced the same way.
Tarot birth cards (the classic method): day + month + year, then the sum of that number's digits, again
while above 22 (22 is Le Mat, 0); when that card is 10 or more, its digits give a second card (19 → Le
Soleil and Le Bateleur). Names are those of the Tarot de Marseille.
Chinese sign: the year of the sign begins at the Chinese new year, the second new moon after the winter
solstice (China time), computed once from DE421 for 1900–2051 and kept below (2034 corrected by hand: the
leap eleventh month of 2033 puts its new year one lunation later than the rule).
"""

from __future__ import annotations

import unicodedata
from datetime import date

MASTER_NUMBERS = (11, 22, 33)

MAJOR_ARCANA = (
    "Le Mat", "Le Bateleur", "La Papesse", "L'Impératrice", "L'Empereur", "Le Pape", "L'Amoureux", "Le Chariot",
    "La Justice", "L'Hermite", "La Roue de Fortune", "La Force", "Le Pendu", "L'Arcane sans nom", "Tempérance",
    "Le Diable", "La Maison Dieu", "L'Étoile", "La Lune", "Le Soleil", "Le Jugement", "Le Monde",
)

# 1900 (from 31 January) was a year of the Rat.
CHINESE_SIGNS = (
    "Rat", "Buffle", "Tigre", "Lapin", "Dragon", "Serpent", "Cheval", "Chèvre", "Singe", "Coq", "Chien", "Cochon",
)
CHINESE_ELEMENTS = ("Métal", "Eau", "Bois", "Feu", "Terre")

_FIRST_NEW_YEAR = 1900
# Month and day (MMDD, then a space) of the Chinese new year, from 1900 to 2051.
_NEW_YEAR_DATES = (
    "0131 0219 0208 0129 0216 0204 0125 0213 0202 0122 0210 0130 0218 0206 0126 0214 0204 0123 0211 0201 "
    "0220 0208 0128 0216 0205 0124 0213 0202 0123 0210 0130 0217 0206 0126 0214 0204 0124 0211 0131 0219 "
    "0208 0127 0215 0205 0125 0213 0202 0122 0210 0129 0217 0206 0127 0214 0203 0124 0212 0131 0218 0208 "
    "0128 0215 0205 0125 0213 0202 0121 0209 0130 0217 0206 0127 0215 0203 0123 0211 0131 0218 0207 0128 "
    "0216 0205 0125 0213 0202 0220 0209 0129 0217 0206 0127 0215 0204 0123 0210 0131 0219 0207 0128 0216 "
    "0205 0124 0212 0201 0122 0209 0129 0218 0207 0126 0214 0203 0123 0210 0131 0219 0208 0128 0216 0205 "
    "0125 0212 0201 0122 0210 0129 0217 0206 0126 0213 0203 0123 0211 0131 0219 0208 0128 0215 0204 0124 "
    "0212 0201 0122 0210 0130 0217 0206 0126 0214 0202 0123 0211 "
)


def _digit_sum(number: int) -> int:
    return sum(int(d) for d in str(number))


def reduce_number(number: int) -> int:
    """Add the digits until one digit remains or a master number (11, 22, 33) appears."""
    while number > 9 and number not in MASTER_NUMBERS:
        number = _digit_sum(number)
    return number


def life_path(birth_date: date) -> int:
    parts = (reduce_number(birth_date.day), reduce_number(birth_date.month), reduce_number(birth_date.year))
    return reduce_number(sum(parts))


def _letter_value(letter: str) -> int:
    return (ord(letter) - ord("a")) % 9 + 1


def expression_number(full_name: str) -> int | None:
    """None when the name has no letter."""
    plain = unicodedata.normalize("NFKD", full_name.casefold().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss"))
    letters = [ch for ch in plain if "a" <= ch <= "z"]
    if not letters:
        return None
    return reduce_number(sum(_letter_value(ch) for ch in letters))


def tarot_cards(birth_date: date) -> list[dict]:
    number = _digit_sum(birth_date.day + birth_date.month + birth_date.year)
    while number > 22:
        number = _digit_sum(number)
    numbers = [0 if number == 22 else number]
    if 10 <= number < 22:
        numbers.append(reduce_number(_digit_sum(number)))  # 19 → 10 → 1: reduce_number keeps going
    return [{"number": n, "name": MAJOR_ARCANA[n]} for n in numbers]


def chinese_new_year(year: int) -> date:
    start = (year - _FIRST_NEW_YEAR) * 5
    mmdd = _NEW_YEAR_DATES[start:start + 4]
    return date(year, int(mmdd[:2]), int(mmdd[2:]))


def chinese_year(birth_date: date) -> int:
    """The Gregorian year in which the birth's Chinese year began."""
    year = birth_date.year
    return year - 1 if birth_date < chinese_new_year(year) else year


def chinese_sign(birth_date: date) -> str:
    return CHINESE_SIGNS[(chinese_year(birth_date) - _FIRST_NEW_YEAR) % 12]


def chinese_element(birth_date: date) -> str:
    # Elements go in pairs of years; 1900 was a Metal year.
    return CHINESE_ELEMENTS[((chinese_year(birth_date) - _FIRST_NEW_YEAR) // 2) % 5]
