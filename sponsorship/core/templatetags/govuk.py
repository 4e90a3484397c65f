"""GOV.UK Design System rendering for Django form fields."""

from typing import Any

from django import forms, template

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.inclusion_tag("forms/field.html")
def govuk_field(
    field: forms.BoundField, width: str = "", autocomplete: str = "", heading: bool = False
) -> dict[str, Any]:
    """A form group: label, hint, error message and the control, marked up as GOV.UK does."""
    widget = field.field.widget
    return {
        "field": field,
        "kind": _kind(widget),
        "input_type": getattr(widget, "input_type", "text"),
        "width": width,
        "autocomplete": autocomplete or widget.attrs.get("autocomplete", ""),
        "heading": heading,
        "value": field.value() if field.value() is not None else "",
        "described_by": " ".join(
            part
            for part, present in (
                (f"{field.auto_id}-hint", bool(field.help_text)),
                (f"{field.auto_id}-error", bool(field.errors)),
            )
            if present
        ),
    }


@register.inclusion_tag("forms/error_summary.html")
def govuk_error_summary(*forms_: forms.Form) -> dict[str, Any]:
    """Every error on the page, each linking to its field."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"text": error, "href": ""})
        for field in form:
            for error in field.errors:
                items.append({"text": error, "href": f"#{field.auto_id}"})
    return {"items": items}
