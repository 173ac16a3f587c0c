"""The case timeline: every change appends its event in the same transaction."""

from django.utils import timezone

from cafcases.models import CaseEvent


def event_record(*, case, kind, by, summary="", comment="", from_status="", to_status="", move=""):
    """Append an event and mark the case as just worked on (the caller saves the case row)."""
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        by=by,
        summary=str(summary)[:300],
        comment=comment,
        from_status=from_status,
        to_status=to_status,
        move=move,
    )
    case.last_event_at = timezone.now()
    return event
