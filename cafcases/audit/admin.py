"""The access log in the admin: national administrators browse it; nobody adds, changes or deletes a line."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cafcases.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "purpose", "who", "person", "count", "ip_address"]
    list_filter = ["action", "purpose", "created_at"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "person"]
    search_fields = ["user__username", "api_client_name"]
    show_full_result_count = False
    fields = [
        "created_at",
        "action",
        "purpose",
        "user",
        "api_client_name",
        "person",
        "count",
        "ip_address",
        "detail",
    ]
    readonly_fields = fields

    @admin.display(description=_("par"))
    def who(self, obj):
        if obj.user_id:
            return obj.user.get_full_name() or obj.user.username
        return _("API : %(client)s") % {"client": obj.api_client_name}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
