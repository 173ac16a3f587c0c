"""The form renderer: Django's Jinja2 templates for its own form and widget templates, the template language for
the rest (the admin's widgets, which exist only there).

Every ``<select>``, ``<input>``, label and field group of a page goes through a template: with the template
language that is about a millisecond per field, and the case page has some thirty fields in its move forms
(docs/PERFORMANCE.md). Django ships the same templates for Jinja2 (``django/forms/jinja2``), which renders them
several times faster with the same HTML; tests/views/test_form_renderer.py compares both.
"""

from functools import cached_property

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastFormRenderer(BaseRenderer):
    @cached_property
    def jinja2(self):
        return Jinja2()

    @cached_property
    def django(self):
        return DjangoTemplates()

    def get_template(self, template_name):
        if template_name.startswith("django/forms/"):
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                pass
        return self.django.get_template(template_name)
