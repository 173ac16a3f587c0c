"""What every ModelAdmin of a big table shares: a capped count and caisse scoping."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """Counts at most CAP + 1 rows, so that a changelist over millions of rows never runs a full COUNT(*)."""

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.CAP + 1].count()


class BigTableAdmin(admin.ModelAdmin):
    """A changelist fit for a national registry: no full count, a capped one for the pages."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50


def user_is_national(user):
    return user.is_superuser or getattr(user, "is_national_admin", False)
