"""Actions that change a licence or an account for good are checked before they are done:
the form, then a page showing the answers with "Confirm" and "Change", then the action."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.types import SignedInRequest

from ..forms import show_error


def answers(form: forms.Form) -> list[tuple[str, str]]:
    """Each visible field's label and the answer as the caseworker would read it."""
    rows = []
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        value = form.cleaned_data.get(name)
        labels = dict(getattr(field, "choices", ()))
        if isinstance(value, list):
            shown = ", ".join(str(labels.get(v, v)) for v in value)
        elif labels:
            shown = str(labels.get(value, value or ""))
        else:
            shown = "" if value is None else str(value)
        rows.append((str(field.label), shown))
    return rows


def posted_values(form: forms.Form) -> list[tuple[str, str]]:
    """The posted input, to carry through the check page in hidden fields."""
    return [
        (form.add_prefix(name), value)
        for name in form.fields
        for value in form.data.getlist(form.add_prefix(name))  # type: ignore[attr-defined]
    ]


def checked_action(
    request: SignedInRequest,
    form: forms.Form,
    *,
    template: str,
    context: dict[str, Any],
    act: Callable[[forms.Form], HttpResponse],
) -> HttpResponse:
    """GET shows the form; a valid POST shows the answers to check; a POST with `confirmed`
    does the action (a service refusal goes back on the form)."""
    page = {**context, "form": form}
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        if request.POST.get("confirmed") != "yes":
            page |= {"answers": answers(form), "posted": posted_values(form)}
            return render(request, "casework/check.html", page)
        try:
            return act(form)
        except NotFound:
            raise
        except ApplicationError as error:
            show_error(form, error)
            return render(request, template, page, status=error.http_status)
    return render(request, template, page)
