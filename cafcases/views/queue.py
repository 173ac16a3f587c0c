"""The agents' work queue: tabs, filters, keyset pagination, search and "Prendre le suivant"."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connection
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cafcases.forms.casework import SearchForm
from cafcases.forms.widgets import FastSelect
from cafcases.models import Case, CaseStatus, Country, Organisation, Person, PriorityBand, Track, User
from cafcases.services.queue import case_bulk_assign, case_take_next
from cafcases.stats import definitions as dashboard

from .queue_rows import render_rows

PAGE_SIZE = 50
SEARCH_LIMIT = 50
# Tabs count up to this many cases, then say "1 000+": an exact count of a big caisse's "Tous" reads half a million
# index entries on every page view (docs/PERFORMANCE.md); the open tab's own total stays exact.
TAB_COUNT_LIMIT = 1000
# The open tab's own total, in the table's caption, is exact up to this many cases, then says "plus de 10 000": at
# 1,000,000 cases the exact count of a big caisse's "À prendre" (45,000 cases) was half the queue's SQL time.
CAPTION_COUNT_LIMIT = 10_000

TABS = {
    "a-prendre": gettext_lazy("À prendre"),
    "mes-dossiers": gettext_lazy("Mes dossiers"),
    "en-retard": gettext_lazy("En retard"),
    "en-attente": gettext_lazy("En attente d'un tiers"),
    "termines": gettext_lazy("Terminés"),
    "tous": gettext_lazy("Tous"),  # every case of the caisse, where the dashboard's numbers lead
}


def tab_queryset(tab, *, user, organisation, today):
    """The cases of one tab, scoped to one caisse (and its side where the tab is about acting)."""
    mine = Case.objects.for_organisation(organisation)
    return {
        "a-prendre": lambda: Case.objects.to_take(organisation),
        "mes-dossiers": lambda: mine.open().filter(assigned_to=user),
        "en-retard": lambda: mine.filter(side=organisation.kind).overdue(today),
        "en-attente": lambda: mine.waiting_on_third_party(),
        "termines": lambda: mine.closed(),
        "tous": lambda: mine,
    }[tab]()


class QueueFilterForm(forms.Form):
    statut = forms.ChoiceField(label=gettext_lazy("Étape"), required=False, widget=FastSelect)
    pays = forms.ChoiceField(label=gettext_lazy("Pays de naissance"), required=False, widget=FastSelect)
    priorite = forms.ChoiceField(label=gettext_lazy("Priorité"), required=False, widget=FastSelect)
    parcours = forms.ChoiceField(label=gettext_lazy("Parcours"), required=False, widget=FastSelect)
    agent = forms.ChoiceField(label=gettext_lazy("Agent"), required=False, widget=FastSelect)
    # The dashboard's case sets (cafcases/stats/definitions.py): each of its numbers links here with one of them.
    anciennete = forms.ChoiceField(
        label=gettext_lazy("Ancienneté à l'étape"),
        required=False,
        widget=FastSelect,
        choices=[("", gettext_lazy("Toutes"))] + [(bucket.slug, bucket.label) for bucket in dashboard.AGE_BUCKETS],
    )
    echeance = forms.ChoiceField(
        label=gettext_lazy("Échéance"),
        required=False,
        widget=FastSelect,
        choices=[("", gettext_lazy("Toutes"))] + [*dashboard.DEADLINES.items()],
    )
    demande = forms.ChoiceField(
        label=gettext_lazy("Certification"),
        required=False,
        widget=FastSelect,
        choices=[("", gettext_lazy("Toutes"))] + [*dashboard.REQUESTS.items()],
    )
    jalon = forms.ChoiceField(
        label=gettext_lazy("Étape franchie"),
        required=False,
        widget=FastSelect,
        choices=[("", gettext_lazy("Toutes"))] + [*dashboard.MILESTONES.items()],
        help_text=gettext_lazy("La semaine choisie, sinon les 26 dernières semaines."),
    )
    semaine = forms.DateField(
        label=gettext_lazy("Semaine du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, organisation, show_agents, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", gettext_lazy("Toutes"))]
        self.fields["statut"].choices = everything + list(CaseStatus.choices)
        self.fields["priorite"].choices = everything + list(PriorityBand.choices)
        self.fields["parcours"].choices = [("", gettext_lazy("Tous"))] + list(Track.choices)
        # Codes and names only: 229 Country instances on every queue page cost more than the query.
        countries = Country.objects.order_by("name").values_list("code", "name")
        self.fields["pays"].choices = [("", gettext_lazy("Tous")), *countries]
        # The caisse's active staff, read once: the agent filter and the bulk assignment offer the same people.
        self.agents = []
        if show_agents:
            self.agents = list(
                User.objects.filter(organisation=organisation, is_active=True).order_by("last_name", "first_name")
            )
            self.fields["agent"].choices = [("", gettext_lazy("Tous"))] + [(str(a.pk), str(a)) for a in self.agents]
        else:
            del self.fields["agent"]

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["statut"]:
            queryset = queryset.filter(status=data["statut"])
        if data["pays"]:
            queryset = queryset.filter(person__birth_country_id=data["pays"])
        if data["priorite"]:
            queryset = queryset.in_priority_band(data["priorite"])
        if data["parcours"]:
            queryset = queryset.filter(track=data["parcours"])
        if data.get("agent"):
            queryset = queryset.filter(assigned_to_id=int(data["agent"]))
        queryset = dashboard.apply_dashboard_filters(queryset, data)
        return queryset

    @property
    def active(self):
        return self.is_valid() and any(self.cleaned_data.values())


def capped_counts(querysets):
    """The number of rows of each queryset, or "1 000+" from TAB_COUNT_LIMIT on: one statement of
    ``(SELECT COUNT(*) FROM (… LIMIT 1000))`` subqueries (bounded work, one round trip for all the tabs)."""
    parts, params = [], []
    for queryset in querysets:
        try:
            sql, part_params = queryset.order_by().values("pk")[:TAB_COUNT_LIMIT].query.sql_with_params()
        except EmptyResultSet:  # queryset.none()
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped_{len(parts)})")
        params += part_params
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        counts = cursor.fetchone()
    more = f"{number_format(TAB_COUNT_LIMIT, force_grouping=True)}+"
    return [more if count >= TAB_COUNT_LIMIT else count for count in counts]


def parse_cursor(raw):
    """ "57.2026-03-01.1234" → (57, date, 1234); "57._.1234" when the case has no deadline; None if malformed."""
    try:
        priority, deadline, pk = raw.split(".")
        return int(priority), None if deadline == "_" else datetime.date.fromisoformat(deadline), int(pk)
    except (ValueError, AttributeError):
        return None


def cursor_of(case):
    deadline = case.next_deadline.isoformat() if case.next_deadline else "_"
    return f"{case.priority}.{deadline}.{case.pk}"


def queue_tab(request):
    """The tab asked for in the query string (``onglet``), "À prendre" when it names none."""
    tab = request.GET.get("onglet", "a-prendre")
    return tab if tab in TABS else "a-prendre"


def queue_organisation(request):
    """The caisse whose queue is shown: the user's own; a national admin picks one (the first CAF by default)."""
    user = request.user
    if user.organisation_id and not user.is_national_admin:
        return user.organisation
    if not (user.is_national_admin or user.is_superuser):
        raise PermissionDenied
    code = request.GET.get("caisse", "")
    return Organisation.objects.filter(code=code).first() or Organisation.objects.cafs().order_by("code").first()


@login_required
def queue(request):
    organisation = queue_organisation(request)
    if organisation is None:
        messages.info(request, _("Aucune caisse n'est encore enregistrée."))
        return render(request, "cases/queue.html", {"tabs": [], "cases": [], "organisation": None})
    tab = queue_tab(request)
    today = timezone.localdate()
    user = request.user
    show_agents = user.is_supervisor or user.is_national_admin or user.is_superuser
    filters = QueueFilterForm(request.GET or None, organisation=organisation, show_agents=show_agents)
    queryset = filters.apply(tab_queryset(tab, user=user, organisation=organisation, today=today))
    count = queryset.order_by()[: CAPTION_COUNT_LIMIT + 1].count()
    cursor = parse_cursor(request.GET.get("apres", ""))
    page = queryset.queue_order().select_related("person__birth_country", "assigned_to")
    if cursor:
        page = page.after(cursor)
    cases = list(page[: PAGE_SIZE + 1])
    has_next = len(cases) > PAGE_SIZE
    cases = cases[:PAGE_SIZE]
    query = request.GET.copy()
    query.pop("apres", None)
    next_url = None
    if has_next:
        query["apres"] = cursor_of(cases[-1])
        next_url = f"{reverse('queue')}?{query.urlencode()}"
    can_bulk_assign = show_agents and tab != "termines"
    tab_params = {"caisse": organisation.code} if organisation != user.organisation else {}
    counts = capped_counts(tab_queryset(slug, user=user, organisation=organisation, today=today) for slug in TABS)
    tabs = [
        {
            "slug": slug,
            "label": label,
            "count": tab_count,
            "url": f"{reverse('queue')}?{urlencode({**tab_params, 'onglet': slug})}",
            "active": slug == tab,
        }
        for (slug, label), tab_count in zip(TABS.items(), counts, strict=True)
    ]
    context = {
        "organisation": organisation,
        "organisations": Organisation.objects.order_by("code") if not user.organisation_id else None,
        "tab": tab,
        "tab_label": TABS[tab],
        "tabs": tabs,
        "filters": filters,
        "cases": cases,
        "count": min(count, CAPTION_COUNT_LIMIT),
        "count_is_capped": count > CAPTION_COUNT_LIMIT,
        "count_limit": number_format(CAPTION_COUNT_LIMIT, force_grouping=True),
        "next_url": next_url,
        "first_url": f"{reverse('queue')}?{query.urlencode()}" if cursor else None,
        "today": today,
        "rows": render_rows(cases, today=today, can_bulk_assign=can_bulk_assign),
        "can_bulk_assign": can_bulk_assign,
        "colleagues": filters.agents,
        "can_take_next": user.organisation_id == organisation.pk,
        "can_export": show_agents,  # the same people as views.exports.may_export
    }
    return render(request, "cases/queue.html", context)


@login_required
@require_POST
def take_next(request):
    if request.user.organisation_id is None:
        messages.error(request, _("Seuls les agents et superviseurs d'une caisse prennent des dossiers."))
        return redirect("queue")
    case = case_take_next(agent=request.user)
    if case is None:
        messages.info(request, _("Aucun dossier à prendre pour le moment : la file est vide."))
        return redirect("queue")
    messages.success(request, _("Dossier n° %(id)s pris : il est à vous.") % {"id": case.pk})
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def bulk_assign(request):
    user = request.user
    if not (user.is_supervisor or user.is_national_admin or user.is_superuser):
        raise PermissionDenied
    ids = [int(value) for value in request.POST.getlist("dossiers") if value.isdigit()]
    agent = (
        User.objects.filter(pk=request.POST.get("agent") or 0, is_active=True).select_related("organisation").first()
    )
    back = request.POST.get("retour", "")
    back = back if back.startswith(reverse("queue")) else reverse("queue")
    if not ids or agent is None:
        messages.error(request, _("Cochez au moins un dossier et choisissez un agent."))
        return redirect(back)
    cases = Case.objects.for_user(user).filter(pk__in=ids)
    if not (user.is_national_admin or user.is_superuser) and agent.organisation_id != user.organisation_id:
        raise PermissionDenied
    assigned, refused = case_bulk_assign(cases=cases, agent=agent, by=user)
    if assigned:
        messages.success(
            request, _("%(count)s dossier(s) attribué(s) à %(agent)s.") % {"count": len(assigned), "agent": agent}
        )
    for case, reason in refused:
        messages.warning(request, _("Dossier n° %(id)s non attribué : %(reason)s") % {"id": case.pk, "reason": reason})
    return redirect(back)


@login_required
def search(request):
    """Find a person by any number or name; the query travels in the request body, never in the URL."""
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        visible_cases = Prefetch(
            "cases", queryset=Case.objects.for_user(request.user).order_by("-opened_at"), to_attr="visible_cases"
        )
        results = list(
            Person.objects.for_user(request.user)
            .find(form.cleaned_data["q"])
            .select_related("birth_country", "caf")
            .prefetch_related(visible_cases)
            .order_by("birth_name_key", "pk")[:SEARCH_LIMIT]
        )
    return render(request, "cases/search.html", {"form": form, "results": results, "limit": SEARCH_LIMIT})
