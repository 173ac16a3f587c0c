"""Loading INSEE's country table (code officiel géographique 2025, Licence Ouverte Etalab 2.0)."""

import csv
from pathlib import Path

COUNTRIES_CSV = Path(__file__).resolve().parent / "data" / "insee_countries_2025.csv"

# EU, EEA and Switzerland: their civil-status documents need no sworn translation (DOMAIN.md).
EU_EEA_CH_ISO2 = frozenset(
    [
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        *("IS", "LI", "NO"),  # EEA
        "CH",
    ]
)
# Registries known to answer slowly or not at all (war, no central civil registry): the 6-month outer bound.
SLOW_REGISTRIES_ISO2 = frozenset(["AF", "SY", "SD", "SS", "SO", "ER", "YE", "LY", "CD", "CF", "HT", "MM", "IQ"])
MAGHREB_ISO2 = frozenset(["DZ", "MA", "TN"])


def default_certification_delay(code: str, iso2: str) -> int:
    """A plausible reference delay in days (60–180, the documented 2–6 months) until agents tune it."""
    if iso2 in EU_EEA_CH_ISO2:
        return 60
    if iso2 in SLOW_REGISTRIES_ISO2:
        return 180
    if iso2 in MAGHREB_ISO2:
        return 120
    # INSEE's third digit is the continent: 1 Europe, 2 Asia, 3 Africa, 4 Americas, 5 Oceania.
    return {"1": 90, "2": 150, "3": 150, "4": 90, "5": 120}.get(code[2], 120)


def read_countries(path: Path = COUNTRIES_CSV):
    """Yield one dict per row of the INSEE table, in the shape of the Country model's fields."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            iso2 = row["iso2_code"].strip()
            yield {
                "code": code,
                "iso2": iso2,
                "iso3": row["iso3_code"].strip(),
                "iso_numeric": row["num3_code"].strip(),
                "name": row["name"].strip(),
                "official_name": row["official_name"].strip(),
                "is_state": row["actual_id"].strip() == "1",
                "parent_code": row["parent_code"].strip() or None,
                "is_eu_eea_or_switzerland": iso2 in EU_EEA_CH_ISO2,
                "certification_delay_days": default_certification_delay(code, iso2),
            }


def load_countries(country_model):
    """Create or update every country of the table, territories linked to their state; idempotent."""
    rows = list(read_countries())
    for row in rows:
        fields = {key: value for key, value in row.items() if key not in ("code", "parent_code")}
        # A delay tuned by an administrator survives a reload of the table.
        delay = fields.pop("certification_delay_days")
        country_model.objects.update_or_create(
            code=row["code"], defaults=fields, create_defaults={**fields, "certification_delay_days": delay}
        )
    for row in rows:
        if row["parent_code"]:
            country_model.objects.filter(code=row["code"]).update(parent_id=row["parent_code"])
