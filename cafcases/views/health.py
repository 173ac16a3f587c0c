"""Health check for load balancers: it proves the process answers, without touching the database."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request):
    """Answer 200 while the application process can serve requests."""
    return JsonResponse({"statut": "ok"})
