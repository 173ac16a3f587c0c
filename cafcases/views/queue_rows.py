"""The rows of the queue table, written in Python.

The queue is the page agents load most. Rendered by the template language, its 50 rows cost about as much as all
the rest of the request (one variable lookup chain per cell, a ``{% translate %}`` per row: docs/PERFORMANCE.md);
here each row is one ``format_html`` call, the translated words are looked up once per page, and every value is
escaped by ``format_html``. tests/views/test_queue_rows.py checks the cells against the cases they show.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cafcases.models import CaseStatus

_ROW = (
    "<tr>{}"
    '<td><span class="badge badge--{}">{}</span></td>'
    '<td><a href="{}">{}</a><br><span class="muted small">{} {} · {}</span></td>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"
)


def _date(value):
    return value.strftime("%d/%m/%Y")


def render_rows(cases, *, today, can_bulk_assign):
    """The ``<tr>`` of each case (person, birth country and assigned agent selected with it)."""
    words = {
        "number": _("n°"),
        "france": _("France"),
        "overdue": _("dépassée"),
        "unassigned": format_html('<span class="muted">{}</span>', _("Non attribué")),
        "no_deadline": mark_safe('<span class="muted">—</span>'),
    }
    # get_status_display() hashes the field's lazy choices on every call: a third of this function's time.
    stages = {value: str(label) for value, label in CaseStatus.choices}

    def checkbox(case):
        if not can_bulk_assign:
            return ""
        label = _("Sélectionner le dossier n° %(id)s") % {"id": case.pk}
        return format_html(
            '<td><input type="checkbox" name="dossiers" value="{}" id="sel-{}" aria-label="{}"></td>',
            case.pk,
            case.pk,
            label,
        )

    def deadline(case):
        if case.next_deadline is None:
            return words["no_deadline"]
        if case.next_deadline < today:
            return format_html('<strong class="overdue">{} · {}</strong>', _date(case.next_deadline), words["overdue"])
        return _date(case.next_deadline)

    def agent(case):
        if case.assigned_to is None:
            return words["unassigned"]
        return case.assigned_to.get_full_name() or case.assigned_to.username

    return format_html_join(
        "",
        _ROW,
        (
            (
                checkbox(case),
                case.priority_band,
                case.priority,
                reverse("case_detail", args=[case.pk]),
                case.person.display_name,
                words["number"],
                case.pk,
                case.person.birth_date_display,
                case.person.birth_country or words["france"],
                stages.get(case.status, case.status),
                deadline(case),
                agent(case),
                _date(timezone.localtime(case.opened_at)),
            )
            for case in cases
        ),
    )
