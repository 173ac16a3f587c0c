from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cafcases.models import Organisation, User
from cafcases.roles import sync_user_group

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
        (_("Caisse et rôle"), {"fields": ["first_name", "last_name", "email", "organisation", "role", "is_staff"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_is_national(request.user):
            return queryset
        return queryset.filter(organisation=request.user.organisation_id)

    # Fields that grant rights beyond a role: only a superuser edits them, otherwise a national administrator could
    # make themselves (or anyone) superuser or hand out permissions no role has.
    superuser_only_fields = ["is_superuser", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [name for name in self.superuser_only_fields if name not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None):
        # A superuser's account (its password included) is changed by a superuser only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The form's groups are saved after the user and would undo User.save()'s sync: the role decides the group.
        sync_user_group(form.instance)
