"""Charts drawn on the server as inline SVG: no JavaScript, no external asset, nothing a strict CSP would block.

Each function returns an ``<svg role="img">`` named by its ``<title>`` and ``<desc>`` (``aria-labelledby``); the page
puts the chart's data table right after it, which is what screen readers and keyboard users read. Styling is done with
presentation attributes (``fill``, ``stroke``…), never ``style=`` attributes, which a CSP without 'unsafe-inline'
refuses. Colours reach 3:1 against white (WCAG 1.4.11); lines also differ by their dash pattern, not only by colour.
"""

import math
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe

INK = "#1e1e1e"
MUTED = "#595959"
GRID = "#d0d4dc"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
# Blue, green, orange, red, purple, dark grey: distinguishable with the usual colour-vision deficiencies.
PALETTE = ["#1f3a93", "#1d6b35", "#a35200", "#b3261e", "#6a3d9a", "#3a3f47"]
# Ageing, from fresh to old: a sequence that reads without a legend.
SEQUENTIAL = ["#2f7d4a", "#1f3a93", "#a35200", "#b3261e", "#5c1a16"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2"]


@dataclass
class Series:
    label: str
    values: list  # numbers, or None where there is no value
    colour: str
    dash: str = ""


def nice_ticks(maximum, count=5):
    """Round axis ticks from 0 to at least ``maximum`` (steps of 1, 2 or 5 × 10ⁿ)."""
    if not maximum or maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1) if maximum >= 1 else step
    top = math.ceil(maximum / step) * step
    return [round(step * n, 6) for n in range(int(round(top / step)) + 1)]


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _text(x, y, content, *, anchor="start", size=12, fill=INK, weight="normal"):
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}" font-weight="{}" font-family="{}">{}</text>',
        _r(x),
        _r(y),
        anchor,
        size,
        fill,
        weight,
        FONT,
        content,
    )


def _r(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(chart_id, title, description, width, height, parts):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{id}-title {id}-desc" focusable="false" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        body=mark_safe("".join(str(part) for part in parts)),  # every part was built by format_html
    )


def _legend(series, x, y, width):
    """A legend for lines: a short line with the series' dash pattern, then its label; wraps to new rows."""
    parts, cursor_x, cursor_y = [], x, y
    for item in series:
        label_width = 7.5 * len(str(item.label)) + 40
        if cursor_x + label_width > x + width and cursor_x > x:
            cursor_x, cursor_y = x, cursor_y + 20
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3" stroke-dasharray="{}"/>',
                _r(cursor_x),
                cursor_y - 4,
                _r(cursor_x + 24),
                cursor_y - 4,
                item.colour,
                item.dash or "none",
            )
        )
        parts.append(_text(cursor_x + 30, cursor_y, item.label))
        cursor_x += label_width
    return parts, cursor_y


def _swatches(series, x, y, width):
    """A legend for bars: a colour swatch, then the label; wraps to new rows."""
    parts, cursor_x, cursor_y = [], x, y
    for item in series:
        label_width = 7.5 * len(str(item.label)) + 34
        if cursor_x + label_width > x + width and cursor_x > x:
            cursor_x, cursor_y = x, cursor_y + 20
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}"/>', _r(cursor_x), cursor_y - 11, item.colour
            )
        )
        parts.append(_text(cursor_x + 20, cursor_y, item.label))
        cursor_x += label_width
    return parts, cursor_y


def _x_axis(ticks, left, right, top, bottom, unit=""):
    parts = []
    scale = (right - left) / (ticks[-1] or 1)
    for tick in ticks:
        x = left + tick * scale
        parts.append(
            format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', _r(x), top, _r(x), bottom, GRID)
        )
        parts.append(_text(x, bottom + 16, f"{_number(tick)}{unit}", anchor="middle", size=11, fill=MUTED))
    return parts


def stacked_bars(*, chart_id, title, description, categories, series, width=760, label_width=230):
    """Horizontal bars, one per category, stacked by series (e.g. stages stacked by age bucket)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0))
    legend, legend_bottom = _swatches(series, label_width, 18, width - label_width - 10)
    top, row = legend_bottom + 18, 30
    left, right = label_width, width - 50
    bottom = top + row * len(categories)
    parts = [*legend, *_x_axis(ticks, left, right, top, bottom)]
    scale = (right - left) / (ticks[-1] or 1)
    for index, category in enumerate(categories):
        y = top + index * row
        parts.append(_text(left - 8, y + 19, category, anchor="end"))
        x = left
        for item in series:
            value = item.values[index] or 0
            if value:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="20" fill="{}"><title>{}</title></rect>',
                        _r(x),
                        y + 5,
                        _r(value * scale),
                        item.colour,
                        f"{category} · {item.label} : {value}",
                    )
                )
            x += value * scale
        parts.append(_text(x + 6, y + 19, totals[index], size=11, weight="bold"))
    return _svg(chart_id, title, description, width, bottom + 28, parts)


def grouped_bars(
    *, chart_id, title, description, categories, series, markers=None, unit="", width=760, label_width=200
):
    """Horizontal bars grouped per category (e.g. reference vs observed delay); ``markers`` adds a tick per category."""
    values = [v for s in series for v in s.values if v is not None]
    if markers:
        values += [v for v in markers.values if v is not None]
    ticks = nice_ticks(max(values, default=0))
    keys = [*series, *([markers] if markers else [])]
    legend, legend_bottom = _swatches(keys, label_width, 18, width - label_width - 10)
    bar, gap = 12, 12
    row = bar * len(series) + gap
    top, left, right = legend_bottom + 18, label_width, width - 60
    bottom = top + row * len(categories)
    scale = (right - left) / (ticks[-1] or 1)
    parts = [*legend, *_x_axis(ticks, left, right, top, bottom, unit)]
    for index, category in enumerate(categories):
        y = top + index * row + gap / 2
        parts.append(_text(left - 8, y + bar * len(series) / 2 + 4, category, anchor="end"))
        for offset, item in enumerate(series):
            value = item.values[index]
            if value is None:
                continue
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                    left,
                    _r(y + offset * bar),
                    _r(max(value * scale, 1)),
                    bar - 2,
                    item.colour,
                    f"{category} · {item.label} : {_number(round(value, 1))}{unit}",
                )
            )
        if markers and markers.values[index] is not None:
            x = left + markers.values[index] * scale
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"><title>{}</title></line>',
                    _r(x),
                    _r(y - 2),
                    _r(x),
                    _r(y + bar * len(series)),
                    markers.colour,
                    f"{category} · {markers.label} : {_number(round(markers.values[index], 1))}{unit}",
                )
            )
    return _svg(chart_id, title, description, width, bottom + 28, parts)


def lines(*, chart_id, title, description, x_labels, series, label_every=4, width=760, height=300):
    """One line per series over ``x_labels`` (e.g. weeks), with a dot per point and a dash pattern per series."""
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(max(values, default=0))
    legend, legend_bottom = _legend(series, 50, 18, width - 60)
    top, left, right, bottom = legend_bottom + 16, 50, width - 16, height - 30
    parts = [*legend]
    y_scale = (bottom - top) / (ticks[-1] or 1)
    x_step = (right - left) / max(len(x_labels) - 1, 1)
    for tick in ticks:
        y = bottom - tick * y_scale
        parts.append(
            format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', left, _r(y), right, _r(y), GRID)
        )
        parts.append(_text(left - 6, y + 4, _number(tick), anchor="end", size=11, fill=MUTED))
    last = len(x_labels) - 1
    for index, label in enumerate(x_labels):
        # Every label_every-th label, and the last one unless it would overlap the one before.
        if index % label_every == 0 or (index == last and last % label_every >= label_every / 2):
            parts.append(_text(left + index * x_step, bottom + 18, label, anchor="middle", size=11, fill=MUTED))
    for item in series:
        points = [
            (left + index * x_step, bottom - value * y_scale)
            for index, value in enumerate(item.values)
            if value is not None
        ]
        if not points:
            continue
        path = " ".join(f"{_r(x)},{_r(y)}" for x, y in points)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
                path,
                item.colour,
                item.dash or "none",
            )
        )
        parts.extend(
            format_html('<circle cx="{}" cy="{}" r="2.5" fill="{}"/>', _r(x), _r(y), item.colour) for x, y in points
        )
    return _svg(chart_id, title, description, width, height, parts)
