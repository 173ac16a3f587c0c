from django.contrib import admin

from cafcases.models import Country


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "iso2", "iso3", "is_state", "is_eu_eea_or_switzerland", "certification_delay_days"]
    list_editable = ["certification_delay_days"]
    list_filter = ["is_state", "is_eu_eea_or_switzerland"]
    search_fields = ["name", "official_name", "code", "iso2", "iso3"]
    readonly_fields = ["code", "iso2", "iso3", "iso_numeric", "name", "official_name", "is_state", "parent"]
    list_select_related = ["parent"]
    list_per_page = 250

    def has_add_permission(self, request):
        # The table is INSEE's: it changes by a migration that loads the new official file, not by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
