"""Forms render through Django's Jinja2 form templates (cafcases/forms/renderers.py): the same HTML as the template
language gave, bound or not, errors included; the admin's own widget templates still come from the template language."""

import pytest
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase

from cafcases import workflow
from cafcases.audit.forms import TokenForm
from cafcases.booking import forms as booking_forms
from cafcases.forms import casework
from cafcases.forms.moves import move_form
from cafcases.forms.renderers import FastFormRenderer

html = SimpleTestCase()

SIMPLE_FORMS = [
    casework.ContactForm,
    casework.NoteForm,
    casework.DocumentStatusForm,
    casework.ChaseForm,
    casework.AnswerForm,
    casework.RevealForm,
    casework.SearchForm,
    booking_forms.SiteSearchForm,
    booking_forms.PublicBookingForm,
    booking_forms.AttendanceForm,
    booking_forms.LinkSearchForm,
    booking_forms.LinkForm,
    TokenForm,
]


def renderings(build):
    """The form's HTML with the project's renderer and with Django's default one, unbound then bound to nothing."""
    pairs = []
    for data in (None, {}):
        fast, reference = build(data, FastFormRenderer()), build(data, DjangoTemplates())
        pairs.append((str(fast), str(reference)))
        pairs += [(str(fast[name]), str(reference[name])) for name in fast.fields]
    return pairs


def test_the_project_uses_it():
    assert settings.FORM_RENDERER == "cafcases.forms.renderers.FastFormRenderer"


@pytest.mark.parametrize("form_class", SIMPLE_FORMS, ids=lambda form_class: form_class.__name__)
def test_same_html_as_the_template_language(form_class):
    for fast, reference in renderings(lambda data, renderer: form_class(data, renderer=renderer)):
        html.assertHTMLEqual(fast, reference)


@pytest.mark.parametrize("move_name", sorted(workflow.MOVES))
def test_same_html_for_every_move_form(move_name):
    move = workflow.MOVES[move_name]
    for fast, reference in renderings(lambda data, renderer: move_form(move, data, renderer=renderer)):
        html.assertHTMLEqual(fast, reference)


def test_errors_are_rendered():
    form = casework.NoteForm({}, renderer=FastFormRenderer())
    assert not form.is_valid()
    assert 'class="errorlist' in str(form)


def test_templates_only_the_template_language_has_still_render():
    template = FastFormRenderer().get_template("admin/widgets/related_widget_wrapper.html")
    assert template.template.engine.__class__.__name__ == "Engine"  # the template language's
