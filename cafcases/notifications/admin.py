"""Read-only admin of the messages: what was sent to whom, and what became of it."""

from django.contrib import admin
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from cafcases.admin.base import CappedCountPaginator
from cafcases.admin.service_forms import scope_to_cases

from .models import Message, MessageAttachment


class ReadOnlyMixin:
    """Messages are written by message_queue and the delivery reports only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageAttachmentInline(ReadOnlyMixin, admin.TabularInline):
    model = MessageAttachment
    fields = ["filename", "mimetype", "size"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        # The size, without loading every file into the page.
        return super().get_queryset(request).defer("content").annotate(content_size=Length("content"))

    @admin.display(description=_("taille (octets)"))
    def size(self, obj):
        return obj.content_size


@admin.register(Message)
class MessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "channel", "purpose", "status", "case", "attempts", "sent_at", "status_at"]
    list_filter = ["status", "channel", "purpose"]
    list_select_related = ["case"]
    search_fields = ["purpose"]
    inlines = [MessageAttachmentInline]
    fields = [
        "channel",
        "to",
        "purpose",
        "subject",
        "body",
        "dedupe_key",
        "content_type",
        "object_id",
        "case",
        "person",
        "status",
        "failure_reason",
        "provider_message_id",
        "attempts",
        "created_at",
        "sent_at",
        "status_at",
    ]
    readonly_fields = fields
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("content_type", "case", "person")
        # Caisse staff reach only their cases' messages: another caisse's message answers like a missing one.
        return scope_to_cases(queryset, request.user)
