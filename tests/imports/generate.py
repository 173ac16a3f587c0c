"""Realistic people files for the import: demo profiles (names, partial dates, countries) with valid NIAs.

Used by the tests (a few thousand rows) and by ``bench/import_people.py`` (68,000 rows).
"""

import csv
import random
from collections import defaultdict

from django.utils import timezone

from cafcases import demo_data
from cafcases.identifiers import build_number
from cafcases.models import Benefit

HEADER = [
    "numero_allocataire",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "sexe",
    "date_naissance",
    "pays_naissance",
    "nia",
    "telephone",
    "email",
    "adresse",
    "code_postal",
    "commune",
    "prestations",
]
BENEFIT_CODES = Benefit.values
FOREIGN_PHONES = ("+213 5 51 23 45 67", "+212 6 12 34 56 78", "+216 20 123 456", "+44 7400 123456")
# A country by its ISO code in about one row in five, as some CAF extracts do.
ISO_BY_CODE = {"99352": "DZ", "99350": "MA", "99351": "TN", "99212": "AF", "99206": "SY", "99134": "ES"}


def _phone(rng):
    draw = rng.random()
    if draw < 0.15:
        return ""
    if draw < 0.17:
        return FOREIGN_PHONES[int(rng.random() * len(FOREIGN_PHONES))]
    # Mobile numbers as ARCEP allocates them: 06 not followed by 3 or 9, 07 followed by 3 to 9.
    digits = f"{int(rng.random() * 100_000_000):08d}"
    mobile = "6" + "01245678"[int(rng.random() * 8)] if rng.random() < 0.7 else "7" + "3456789"[int(rng.random() * 7)]
    if draw < 0.75:
        return f"0{mobile[0]} {mobile[1]}{digits[1]} {digits[2:4]} {digits[4:6]} {digits[6:8]}"
    if draw < 0.9:
        return f"+33 {mobile[0]} {mobile[1]}{digits[1]} {digits[2:4]} {digits[4:6]} {digits[6:8]}"
    return f"03 20 {digits[2:4]} {digits[4:6]} {digits[6:8]}"


def _benefits(rng):
    count = int(rng.random() * 3)
    return ",".join(sorted({BENEFIT_CODES[int(rng.random() * len(BENEFIT_CODES))] for _ in range(count)}))


def _birth_date(profile):
    if profile.birth_day:
        return f"{profile.birth_day:02d}/{profile.birth_month:02d}/{profile.birth_year}"
    if profile.birth_month:
        return f"{profile.birth_month:02d}/{profile.birth_year}"
    return str(profile.birth_year)


def people_rows(count, *, seed=68_000, first_number=7_000_000, taken=frozenset()):
    """count rows (lists in HEADER order), every one valid, with distinct NIAs and beneficiary numbers.

    taken: canonical numbers already in the registry, which the rows must not reuse.
    """
    rng = random.Random(seed)
    taken_bodies = {value[:13] for value in taken}
    profiles = demo_data.generate_profiles(rng, count, timezone.localdate())
    orders = defaultdict(int)
    rows = []
    for index, profile in enumerate(profiles):
        place = profile.country
        prefix = (profile.sex, profile.birth_year, profile.birth_month, place)
        while True:
            orders[prefix] += 1
            if orders[prefix] > 999:  # every order of that birth date and country is taken: a year earlier
                profile.birth_year -= 1
                if profile.birth_day == 29 and profile.birth_month == 2:
                    profile.birth_day = 28
                prefix = (profile.sex, profile.birth_year, profile.birth_month, place)
                continue
            nia = build_number(
                sex=profile.sex,
                birth_year=profile.birth_year,
                birth_month=profile.birth_month,
                place=place,
                order=orders[prefix],
                provisional=True,
            )
            if nia.body not in taken_bodies:
                break
        country = ISO_BY_CODE.get(place, place) if rng.random() < 0.2 else place
        rows.append(
            [
                f"{first_number + index:07d}",
                profile.birth_name,
                profile.usage_name,
                profile.first_names,
                profile.sex,
                _birth_date(profile),
                country,
                nia.formatted if rng.random() < 0.5 else nia.value,
                _phone(rng),
                profile.email,
                profile.address,
                profile.postcode,
                profile.city,
                _benefits(rng),
            ]
        )
    return rows


def write_people_csv(path, rows, *, delimiter=";", bom=True, header=HEADER):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path
