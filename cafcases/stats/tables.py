"""The dashboard's tables: the figures laid out in rows, each number with the queue filters that list its cases.

The page (``cafcases.views.dashboard``) turns a cell's ``filters`` into a link to the queue; the exports
(``/pilotage/export/<table>.csv|.xlsx``) write the same rows, values only. One builder per table, one query each.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import figures
from .definitions import AGE_BUCKETS, DEADLINES, MILESTONES, THROUGHPUT_MILESTONES, monday_of


@dataclass
class Cell:
    value: object
    filters: dict | None = None  # the queue's GET filters listing exactly these cases; None: not a set of cases
    kind: str = "number"  # number, days (a float of days), date, text


@dataclass
class Table:
    slug: str
    title: str
    header: list
    rows: list  # of lists of Cell
    data: object = None  # the figures, for the chart
    notes: list = field(default_factory=list)

    def values(self):
        """The rows as plain values, for the exports."""
        return ([cell.value for cell in row] for row in self.rows)


def _text(value):
    return Cell(value, kind="text")


def _days(value):
    return Cell(value, kind="days")


def statuses(scope):
    counts = figures.status_counts(scope)
    rows = [[_text(row["label"]), Cell(row["count"], {"statut": row["status"].value})] for row in counts]
    rows.append([_text(_("Total")), Cell(sum(row["count"] for row in counts), {})])
    return Table("etapes", _("Dossiers par étape"), [_("Étape"), _("Dossiers")], rows, data=counts)


def ageing(scope):
    data = figures.ageing(scope)
    rows = [
        [
            _text(row["label"]),
            *[
                Cell(count, {"statut": row["status"].value, "anciennete": bucket.slug})
                for bucket, count in zip(AGE_BUCKETS, row["buckets"], strict=True)
            ],
            Cell(row["total"], {"statut": row["status"].value}),
        ]
        for row in data
    ]
    header = [_("Étape"), *[bucket.label for bucket in AGE_BUCKETS], _("Total")]
    return Table("anciennete", _("Ancienneté dans l'étape en cours"), header, rows, data=data)


def countries(scope):
    data = figures.certification_by_country(scope)
    rows = [
        [
            _text(country.name),
            Cell(country.expected),
            Cell(country.answered),
            _days(country.median),
            _days(country.p90),
            _days(country.gap),
            Cell(country.open_cases, {"pays": country.code, "demande": "en-cours"}),
            Cell(country.overdue_cases, {"pays": country.code, "demande": "en-retard"}),
            Cell(country.oldest_open_days),
        ]
        for country in data
    ]
    header = [
        _("Pays de naissance"),
        _("Délai de référence (jours)"),
        _("Réponses reçues en 12 mois"),
        _("Délai médian observé (jours)"),
        _("90e centile observé (jours)"),
        _("Écart médiane − référence (jours)"),
        _("Dossiers avec une demande sans réponse"),
        _("dont en retard"),
        _("Plus ancienne demande sans réponse (jours)"),
    ]
    return Table("pays", _("Certification par pays de naissance"), header, rows, data=data)


def deadlines(scope):
    counts = figures.deadlines(scope)
    rows = [[_text(label), Cell(counts[slug], {"echeance": slug})] for slug, label in DEADLINES.items()]
    return Table("echeances", _("Échéances"), [_("Échéance"), _("Dossiers")], rows, data=counts)


def waiting_number(scope):
    data = figures.waiting_number_delay(scope)
    rows = [[Cell(data["count"], {"jalon": "numero-attente"}), _days(data["median"]), _days(data["p90"])]]
    header = [_("Numéros d'attente attribués en 26 semaines"), _("Délai médian (jours)"), _("90e centile (jours)")]
    return Table("numero-attente", _("De l'ouverture au numéro d'attente CAF"), header, rows, data=data)


def throughput(scope):
    data = figures.throughput(scope)
    rows = [
        [
            Cell(week["week"], kind="date"),
            *[
                Cell(week["counts"][slug], {"jalon": slug, "semaine": week["week"].isoformat()})
                for slug in THROUGHPUT_MILESTONES
            ],
        ]
        for week in data
    ]
    header = [_("Semaine du"), *[MILESTONES[slug] for slug in THROUGHPUT_MILESTONES]]
    return Table("activite", _("Activité par semaine"), header, rows, data=data)


def workload(scope):
    data = figures.workload(scope)
    this_week = monday_of(scope.today).isoformat()
    rows = [
        [
            _text(row["agent"].get_full_name() or row["agent"].username),
            Cell(row["open"], {"agent": row["agent"].pk}),
            Cell(row["overdue"], {"agent": row["agent"].pk, "echeance": "en-retard"}),
            Cell(row["taken"], {"agent": row["agent"].pk, "jalon": "attribution", "semaine": this_week}),
        ]
        for row in data
    ]
    header = [_("Agent"), _("Dossiers ouverts attribués"), _("dont en retard"), _("Attribués cette semaine")]
    return Table("charge", _("Charge par agent"), header, rows, data=data)


TABLES = {
    "etapes": statuses,
    "anciennete": ageing,
    "pays": countries,
    "echeances": deadlines,
    "numero-attente": waiting_number,
    "activite": throughput,
    "charge": workload,
}
