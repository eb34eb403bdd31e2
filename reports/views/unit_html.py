"""The pieces of the report form that a page repeats many times, written here rather than
by a template loop: the navigation's list of parts and the input of each figure.

In the template, a part of the navigation cost some 70 µs and a figure's input some
100 µs (a dozen variables, conditions and loops each); written here they cost a few.
Everything shown is escaped here as the template escaped it (``django.utils.html.escape``);
what the JavaScript of the form reads (the ids, ``data-*`` attributes and classes) is the
same as the template wrote (``templates/reports/unit_item.html`` writes the rest of an
item's form). See also ``findings.views.dashboard._count_link``.
"""

from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


def navigation(parts):
    """The entries of the navigation (the outline's table of contents), one per part."""
    return mark_safe("".join(_nav_entry(part) for part in parts))


def _nav_entry(part):
    group = ""
    if part.first_in_group:
        group = f'<div class="list-group-item fw-semibold">{escape(part.group_title)}</div>'
    classes = " ps-4" if part.group else ""
    current = ""
    if part.current:
        classes, current = f"{classes} active", ' aria-current="page"'
    badges = ""
    if part.errors:
        badges = f' <span class="badge text-bg-danger">{part.errors} lỗi</span>'
    if part.comments:
        badges += ' <span class="badge text-bg-warning">Có nhận xét</span>'
    return (
        f"\n    {group}\n    "
        '<a class="list-group-item list-group-item-action d-flex flex-wrap justify-content-between'
        f' gap-2{classes}" href="{escape(part.url)}"{current}>\n'
        f'      <span class="fw-semibold">{escape(part.title)}</span>\n'
        f"      <span>{escape(part.summary)}{badges}</span>\n    </a>\n    "
    )


def figure_inputs(figures):
    """The inputs of an item's figures (``unit_page.FigureRow``), each with its label, its
    unit, its version, its errors, the checks' messages, a conflict and last year's value."""
    return mark_safe("".join(_figure(fig) for fig in figures))


def _figure(fig):
    pk, input_id, saved = fig.pk, escape(fig.input_id), escape(fig.saved)
    invalid = ""
    if fig.errors:
        invalid = f' aria-invalid="true" aria-describedby="{input_id}_error"'
    if fig.is_boolean:
        options = "".join(
            f'<option value="{value}"{" selected" if value == fig.value else ""}>{text}</option>'
            for value, text in fig.choices
        )
        control = (
            f'<select name="v{pk}" id="{input_id}" class="form-select js-figure"'
            f' data-indicator="{pk}" data-saved="{saved}" autocomplete="off"{invalid}>\n'
            f"            {options}\n          </select>"
        )
    else:
        control = (
            f'<input type="text" name="v{pk}" id="{input_id}" value="{escape(fig.value)}"'
            f' class="form-control js-figure" data-indicator="{pk}" data-saved="{saved}"'
            f' autocomplete="off" inputmode="{fig.inputmode}" maxlength="40"{invalid}>'
        )
    unit = ""
    if fig.unit_of_measure:
        unit = f'\n          <span class="input-group-text">{escape(fig.unit_of_measure)}</span>'
    return (
        f'\n      <div class="col-12 col-md-6 col-xl-4 js-figure-wrap" data-indicator="{pk}"'
        f' data-save-url="{escape(fig.save_url)}">\n'
        f'        <label for="{input_id}" class="form-label small mb-1">{escape(fig.label)}</label>\n'
        f'        <div class="input-group input-group-sm">\n          {control}{unit}\n        </div>\n'
        f'        <input type="hidden" name="ver{pk}" value="{escape(fig.version)}"'
        f' id="{escape(fig.version_id)}">{_errors(fig, input_id)}\n'
        f'        <div class="js-figure-messages small" data-indicator="{pk}" aria-live="polite">'
        f"{_messages(fig.messages)}</div>{_conflict(fig.conflict)}{_previous(fig)}\n      </div>"
    )


def _errors(fig, input_id):
    if not fig.errors:
        return ""
    lines = "".join(
        f'<div class="small text-danger">{conditional_escape(e)}</div>' for e in fig.errors
    )
    return f'\n        <div id="{input_id}_error">{lines}</div>'


def _messages(messages):
    if not messages:
        return ""
    lines = "".join(
        f'<div class="{"text-danger" if m.is_error else "text-warning-emphasis"}"><i class="bi'
        f' {"bi-x-circle" if m.is_error else "bi-exclamation-triangle"}" aria-hidden="true"></i>'
        f" {conditional_escape(m.text)}</div>"
        for m in messages
    )
    return f"\n          {lines}\n        "


def _conflict(conflict):
    if not conflict:
        return ""
    return (
        f'\n        <div class="small text-warning-emphasis js-conflict" role="alert">'
        f"{escape(conflict.messages[0])} Giá trị đã lưu: <strong>"
        f"{escape(conflict.theirs or '(trống)')}</strong>; giá trị của bạn vẫn ở ô trên.</div>"
    )


def _previous(fig):
    if not fig.previous_note:
        return ""
    return f'\n        <div class="form-text mt-0">{escape(fig.previous_note)}</div>'
