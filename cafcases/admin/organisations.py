from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cafcases.models import Organisation, User

from .base import user_is_national


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "department"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "department"]
    ordering = ["code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__kind", "is_active", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets[:2],
        (_("Caisse et rôle"), {"fields": ["organisation", "role"]}),
        *DjangoUserAdmin.fieldsets[2:],
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Caisse et rôle"), {"fields": ["first_name", "last_name", "email", "organisation", "role"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_is_national(request.user):
            return queryset
        return queryset.filter(organisation=request.user.organisation_id)
