"""The queue's rows and filters are written in Python for speed: they must give the HTML the templates gave."""

import datetime
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import timezone, translation

from cafcases.forms.widgets import FastSelect
from cafcases.models import Case, CaseStatus, Person
from cafcases.views.queue_rows import render_rows
from tests.views.helpers import open_case, overdue_nia_date

html = SimpleTestCase()

# The rows of templates/cases/queue.html before cafcases.views.queue_rows replaced them.
TEMPLATE_ROWS = Template((Path(__file__).parent / "queue_rows_before.html").read_text())


@pytest.fixture
def varied_cases(world):
    w = world
    w.caf_agent2.first_name = w.caf_agent2.last_name = ""  # shown by username
    w.caf_agent2.save()
    made = [
        open_case(w.caf, nia_issued_on=overdue_nia_date(), birth_name="O'Brien <b>", usage_name="Durand & fils"),
        open_case(w.caf, nia_issued_on=None, benefits=["rsa"]),
        open_case(w.caf, assigned_to=w.caf_agent, birth_month=None, birth_day=None),
        open_case(w.caf, assigned_to=w.caf_agent2),
        open_case(w.caf, CaseStatus.DOCUMENTS_REQUESTED),
    ]
    Person.objects.filter(pk=made[1].person_id).update(birth_country=None)  # shown as France
    return list(
        Case.objects.filter(pk__in=[case.pk for case in made]).select_related("person__birth_country", "assigned_to")
    )


@pytest.mark.parametrize("can_bulk_assign", [True, False])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_rows_are_the_html_of_the_template_they_replace(varied_cases, can_bulk_assign, language, settings):
    today = timezone.localdate()
    assert any(case.next_deadline and case.next_deadline < today for case in varied_cases)
    assert any(case.next_deadline is None for case in varied_cases)
    assert any(case.person.birth_country is None for case in varied_cases)
    with translation.override(language):
        expected = TEMPLATE_ROWS.render(
            Context({"cases": varied_cases, "today": today, "can_bulk_assign": can_bulk_assign})
        )
        written = render_rows(varied_cases, today=today, can_bulk_assign=can_bulk_assign)
    html.assertHTMLEqual(written, expected)
    assert "O&#x27;BRIEN &lt;B&gt; (DURAND &amp; FILS)" in written  # escaped, never markup


def test_a_deadline_of_today_is_not_overdue(varied_cases):
    case = varied_cases[0]
    case.next_deadline = timezone.localdate()
    assert "dépassée" not in render_rows([case], today=case.next_deadline, can_bulk_assign=False)
    assert "dépassée" in render_rows(
        [case], today=case.next_deadline + datetime.timedelta(days=1), can_bulk_assign=False
    )


def test_no_case_no_row():
    assert render_rows([], today=timezone.localdate(), can_bulk_assign=True) == ""


CHOICES = [("", "Tous"), ("a", "Alpha & <oméga>"), (3, 'Trois "3"')]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, "a", {"id": "id_x"}),
        (CHOICES, 3, None),
        (CHOICES, None, {"id": "id_x", "required": True, "disabled": False}),
        ([("Groupe <1>", [("a", "A"), ("b", "B")]), ("c", "C")], "b", {"id": "g"}),
        ([], "", None),
    ],
)
def test_fast_select_is_django_select(choices, value, attrs):
    html.assertHTMLEqual(
        FastSelect(choices=choices).render("champ", value, attrs),
        forms.Select(choices=choices).render("champ", value, attrs),
    )


def test_fast_select_in_a_bound_form():
    class Form(forms.Form):
        x = forms.ChoiceField(choices=CHOICES, required=False, widget=FastSelect)

    class Reference(forms.Form):
        x = forms.ChoiceField(choices=CHOICES, required=False)

    html.assertHTMLEqual(str(Form({"x": "a"})["x"]), str(Reference({"x": "a"})["x"]))
