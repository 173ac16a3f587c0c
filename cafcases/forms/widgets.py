"""Widgets rendered in Python for the pages every agent loads many times a day.

Django renders a ``<select>`` through one template per option: the queue's filters (229 countries, the stages, the
agents…) cost about 70 ms of template rendering on every queue page (docs/PERFORMANCE.md). ``FastSelect`` writes the
same HTML as Django's ``select.html`` / ``select_option.html`` / ``attrs.html`` templates, option by option with
``escape``; tests/views/test_queue_rows.py compares both renderings.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        wanted = {str(item) for item in self.format_value(value)}
        found = False  # as Django's Select: only the first option of the value is selected

        def option(option_value, label):
            nonlocal found
            text = "" if option_value is None else str(option_value)
            selected = text in wanted and (not found or self.allow_multiple_selected)
            found = found or selected
            return f'<option value="{escape(text)}"{" selected" if selected else ""}>{escape(label)}</option>'

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # a group: (name, [(value, label), …])
                options = "".join(option(*choice) for choice in label)
                parts.append(f'<optgroup label="{escape(option_value)}">{options}</optgroup>')
            else:
                parts.append(option(option_value, label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(parts)}</select>')
