"""The supervisors' dashboard ("Pilotage"): figures of a caisse, each number a link to the queue listing its cases.

The figures come from the scope's snapshot (``cafcases.stats.snapshots``): read as stored while fresh, recomputed and
stored otherwise. The page says when they were computed. The exports (``cafcases.views.exports``) compute live.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cafcases import charts
from cafcases.models import Organisation
from cafcases.stats import snapshots
from cafcases.stats.definitions import AGE_BUCKETS, MILESTONES, THROUGHPUT_MILESTONES
from cafcases.stats.figures import Scope

COUNTRIES_CHARTED = 12  # the worst gaps; the table lists every country


def dashboard_scope(request):
    """(scope, national): a supervisor sees their caisse; a national administrator every caisse, or the one chosen."""
    user = request.user
    today = timezone.localdate()
    if user.is_national_admin or user.is_superuser:
        code = request.GET.get("caisse", "")
        organisation = None
        if code:
            organisation = Organisation.objects.filter(code=code).first()
            if organisation is None:
                raise Http404(_("Caisse inconnue."))
        return Scope(organisation, today), True
    if user.is_supervisor and user.organisation_id:
        return Scope(user.organisation, today), False
    raise PermissionDenied


class Links:
    """Links to the queue (the "Tous" tab, filtered) and to the exports, for one scope."""

    def __init__(self, scope, national):
        self.scope = scope
        self.caisse = {"caisse": scope.organisation.code} if national and scope.organisation else {}

    def queue(self, filters):
        if filters is None or self.scope.organisation is None:
            return None  # the queue shows one caisse at a time: no link from a figure of every caisse
        return f"{reverse('queue')}?{urlencode({'onglet': 'tous', **self.caisse, **filters})}"

    def export(self, slug, fmt):
        url = reverse("dashboard_export", kwargs={"table": slug, "fmt": fmt})
        return f"{url}?{urlencode(self.caisse)}" if self.caisse else url


def present(slug, table, links):
    """A stored table for the template: header, and cells with their link to the queue (or None)."""
    return {
        "slug": slug,
        "title": table["title"],
        "header": table["header"],
        "rows": [
            [{"value": cell["value"], "kind": cell["kind"], "url": links.queue(cell["filters"])} for cell in row]
            for row in table["rows"]
        ],
        "csv": links.export(slug, "csv"),
        "xlsx": links.export(slug, "xlsx"),
    }


def ageing_chart(data):
    return charts.stacked_bars(
        chart_id="chart-ageing",
        title=_("Ancienneté des dossiers ouverts dans leur étape"),
        description=_(
            "Une barre par étape, découpée par tranche d'ancienneté dans l'étape. Les chiffres suivent dans le tableau."
        ),
        categories=[str(row["label"]) for row in data],
        series=[
            charts.Series(str(bucket.label), [row["buckets"][index] for row in data], charts.SEQUENTIAL[index])
            for index, bucket in enumerate(AGE_BUCKETS)
        ],
    )


def countries_chart(data):
    data = [country for country in data if country["median"] is not None][:COUNTRIES_CHARTED]
    if not data:
        return None
    return charts.grouped_bars(
        chart_id="chart-countries",
        title=_("Délais de certification par pays de naissance"),
        description=_(
            "Pour les pays aux plus grands écarts : délai de référence, délai médian observé et 90e centile, en jours. "
            "Les chiffres suivent dans le tableau."
        ),
        categories=[country["name"] for country in data],
        series=[
            charts.Series(_("Délai de référence"), [country["expected"] for country in data], charts.PALETTE[5]),
            charts.Series(_("Délai médian observé"), [country["median"] for country in data], charts.PALETTE[2]),
        ],
        markers=charts.Series(_("90e centile observé"), [country["p90"] for country in data], charts.PALETTE[3]),
        unit=" " + _("j"),  # days, after each value of the axis
    )


def throughput_chart(data):
    return charts.lines(
        chart_id="chart-throughput",
        title=_("Activité des 26 dernières semaines"),
        description=_(
            "Nombre de dossiers par semaine : ouverts, numéros d'attente attribués, envoyés en certification, NIR "
            "certifiés et clos. Les chiffres suivent dans le tableau."
        ),
        x_labels=[date_format(week["week"], "d/m") for week in data],
        series=[
            charts.Series(
                str(MILESTONES[slug]),
                [week["counts"][slug] for week in data],
                charts.PALETTE[index],
                charts.DASHES[index],
            )
            for index, slug in enumerate(THROUGHPUT_MILESTONES)
        ],
    )


@login_required
def dashboard(request):
    scope, national = dashboard_scope(request)
    links = Links(scope, national)
    snapshot = snapshots.current(scope)
    data = snapshots.load(snapshot.data)
    stored, series = data["tables"], data["charts"]
    context = {
        "scope": scope,
        "organisation": scope.organisation,
        "organisations": Organisation.objects.order_by("code") if national else None,
        "today": scope.today,
        "computed_at": snapshot.computed_at,
        "statuses": present("etapes", stored["etapes"], links),
        "ageing": present("anciennete", stored["anciennete"], links),
        "ageing_chart": ageing_chart(series["ageing"]),
        "countries": present("pays", stored["pays"], links),
        "countries_chart": countries_chart(series["countries"]),
        "deadlines": present("echeances", stored["echeances"], links),
        "waiting_number": present("numero-attente", stored["numero-attente"], links),
        "throughput": present("activite", stored["activite"], links),
        "throughput_chart": throughput_chart(series["throughput"]),
        "workload": present("charge", stored["charge"], links) if scope.organisation and "charge" in stored else None,
    }
    return render(request, "dashboard/index.html", context)
