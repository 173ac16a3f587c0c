"""What every ModelAdmin of a big table shares: a capped count and caisse scoping."""

import secrets

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, QueryDict
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """Counts at most CAP + 1 rows, so that a changelist over millions of rows never runs a full COUNT(*)."""

    CAP = 10_000

    @cached_property
    def count(self):
        rows = self.object_list
        if hasattr(rows, "order_by"):
            # Any CAP + 1 rows give the same count: without the ORDER BY, PostgreSQL stops at the first rows of an
            # index instead of sorting a caisse's half-million cases first (docs/PERFORMANCE.md).
            rows = rows.order_by()
        return rows[: self.CAP + 1].count()


def user_is_national(user):
    return user.is_superuser or getattr(user, "is_national_admin", False)


SEARCHES_SESSION_KEY = "admin_searches"
SEARCHES_KEPT = 20
TOKEN_PREFIX = "~"


def resolve_search_term(request, term):
    """The term behind a "~token" (kept in the session by PostSearchMixin.search_view), None if unknown."""
    if term.startswith(TOKEN_PREFIX):
        return request.session.get(SEARCHES_SESSION_KEY, {}).get(term[len(TOKEN_PREFIX) :])
    return term


class PostSearchChangeList(ChangeList):
    """Searches with the real term while the URL only carries its token."""

    def __init__(self, request, model, *args, **kwargs):
        self.post_search_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_search")
        self.csrf_token = get_token(request)
        super().__init__(request, model, *args, **kwargs)

    def get_queryset(self, request, exclude_parameters=None):
        resolved = resolve_search_term(request, self.query)
        self.query = resolved or ""
        queryset = super().get_queryset(request, exclude_parameters)
        # An expired or foreign token finds nothing, rather than everything.
        return queryset.none() if resolved is None else queryset


class PostSearchMixin:
    """Numbers never travel in URLs (they end up in access logs): the admin search box posts its term.

    The term is kept in the session behind a random token and the changelist is shown for ``?q=~token``.
    """

    def get_changelist(self, request, **kwargs):
        return PostSearchChangeList

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("recherche/", self.admin_site.admin_view(self.search_view), name="{}_{}_search".format(*info)),
            *super().get_urls(),
        ]

    def search_view(self, request):
        changelist_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        if request.method != "POST":
            return HttpResponseRedirect(changelist_url)
        term = request.POST.get(SEARCH_VAR, "").strip()[:100]
        params = QueryDict(mutable=True)
        for key, values in request.POST.lists():
            if key not in (SEARCH_VAR, "csrfmiddlewaretoken"):
                params.setlist(key, values)
        if term:
            token = secrets.token_urlsafe(8)
            searches = dict(list(request.session.get(SEARCHES_SESSION_KEY, {}).items())[-(SEARCHES_KEPT - 1) :])
            searches[token] = term
            request.session[SEARCHES_SESSION_KEY] = searches
            params[SEARCH_VAR] = TOKEN_PREFIX + token
        query = params.urlencode()
        return HttpResponseRedirect(f"{changelist_url}?{query}" if query else changelist_url)


class BigTableAdmin(PostSearchMixin, admin.ModelAdmin):
    """A changelist fit for a national registry: no full count, a capped one for the pages."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    # Facet counts ("?_facets") run one unbounded COUNT over the whole table per list filter.
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
