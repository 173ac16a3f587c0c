"""Exports of the queue (with its tab and filters) and of the dashboard's tables, as CSV or XLSX (cafcases.exports)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cafcases import exports
from cafcases.stats import tables
from cafcases.views.dashboard import dashboard_scope
from cafcases.views.queue import TABS, QueueFilterForm, queue_organisation, queue_tab, tab_queryset

FORMATS = ("csv", "xlsx")


def _check_format(fmt):
    if fmt not in FORMATS:
        raise Http404


def may_export(user):
    """Supervisors and national administrators export (DOMAIN.md, "Who uses it"); agents work in the screens."""
    return user.is_supervisor or user.is_national_admin or user.is_superuser


def queue_selection(request):
    """(caisse, tab, filters, cases) of the queue as on screen, from the query string; for those who may export."""
    if not may_export(request.user):
        raise PermissionDenied
    organisation = queue_organisation(request)
    if organisation is None:
        raise Http404
    tab = queue_tab(request)
    filters = QueueFilterForm(request.GET or None, organisation=organisation, show_agents=True)
    cases = tab_queryset(tab, user=request.user, organisation=organisation, today=timezone.localdate())
    return organisation, tab, filters, filters.apply(cases)


@login_required
def queue_export(request, fmt):
    """The queue's cases, tab and filters as on screen (``/dossiers/export.csv?onglet=…&statut=…``), in queue order."""
    _check_format(fmt)
    user = request.user
    organisation, tab, filters, queryset = queue_selection(request)
    queryset = queryset.queue_order()
    today = timezone.localdate()
    clear = exports.may_export_numbers_in_clear(user)
    if clear:
        # Logged before the first row leaves, with the number of people, so that an interrupted download counts too.
        exports.export_numbers_logged(user=user, people_count=queryset.count(), request=request, detail=tab)
    return exports.export_response(
        fmt,
        filename=f"dossiers-{organisation.code}-{tab}-{today:%Y%m%d}",
        sheet_name=TABS[tab],
        header=exports.CASE_COLUMNS,
        rows=exports.case_rows(exports.cases_for_export(queryset), clear=clear),
    )


@login_required
def dashboard_export(request, table, fmt):
    """One table of the dashboard (``/pilotage/export/pays.xlsx``), for the same scope as the page."""
    _check_format(fmt)
    build = tables.TABLES.get(table)
    if build is None:
        raise Http404
    scope, _national = dashboard_scope(request)
    built = build(scope)
    where = scope.organisation.code if scope.organisation else "national"
    return exports.export_response(
        fmt,
        filename=f"pilotage-{table}-{where}-{scope.today:%Y%m%d}",
        sheet_name=built.title,
        header=built.header,
        rows=built.values(),
    )
