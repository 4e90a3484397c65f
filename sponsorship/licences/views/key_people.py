"""A Level 1 user changes the Authorising Officer or Key Contact: replaces them with a new
person or amends their details. The change is made at once when the licence qualifies,
otherwise it goes to the Home Office as a request (services.key_person_change)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import selectors, services
from ..forms.people import KeyPersonChoiceForm, KeyPersonForm
from ..models import KeyPerson, KeyPersonRole

# The roles as they appear in addresses: /licence/key-personnel/key-contact/change/.
ROLE_SLUGS: dict[str, KeyPersonRole] = {
    "authorising-officer": KeyPersonRole.AUTHORISING_OFFICER,
    "key-contact": KeyPersonRole.KEY_CONTACT,
}
_PERSON_FIELDS = tuple(services.KeyPersonDetails.__dataclass_fields__)


def _people_by_role(request: SignedInRequest) -> dict[str, KeyPerson]:
    sponsor = selectors.sponsor_get_for_user(user=request.user)
    return {person.role: person for person in sponsor.key_people.all()}


@requires(Permission.KEY_PEOPLE_CHANGE)
def key_people(request: SignedInRequest) -> HttpResponse:
    people = _people_by_role(request)
    rows = [
        {"slug": slug, "role": role, "person": people.get(role)}
        for slug, role in ROLE_SLUGS.items()
    ]
    return render(
        request,
        "licences/key_people/list.html",
        {"rows": rows, "report_within": settings.KEY_PERSONNEL_CHANGE_WORKING_DAYS},
    )


@requires(Permission.KEY_PEOPLE_CHANGE)
def key_person_change(request: SignedInRequest, role: str) -> HttpResponse:
    """Two questions: replace or amend (skipped when nobody holds the role yet), then the
    details, prefilled with the current person's when amending."""
    key_role = ROLE_SLUGS.get(role)
    if key_role is None:
        raise NotFound("There is no such role.")
    person = _people_by_role(request).get(key_role)
    context = {"role": key_role, "slug": role, "person": person}

    if request.method != "POST":
        action = request.GET.get("action", "")
        if person is None:
            action = KeyPersonForm.REPLACE
        choice = KeyPersonChoiceForm({"action": action} if "action" in request.GET else None)
        if person is not None and not choice.is_valid():
            return render(
                request,
                "licences/key_people/choose.html",
                {**context, "form": choice},
                status=400 if choice.errors else 200,
            )
        initial: dict[str, object] = {"action": action}
        if action == KeyPersonForm.AMEND and person is not None:
            initial.update({field: getattr(person, field) for field in _PERSON_FIELDS})
        form = KeyPersonForm(initial=initial)
        return render(request, "licences/key_people/change.html", {**context, "form": form})

    form = KeyPersonForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            licence_request = services.key_person_change(
                actor=request.user,
                role=key_role,
                details=form.details(),
                change_date=form.cleaned_data["change_date"],
                replace=form.replace,
                ip=client_ip(request),
            )
        except ApplicationError as error:
            if isinstance(error, NotFound | NotPermitted):
                raise
            form.add_service_error(error.field, error.message)
            status = error.http_status
        else:
            return redirect("licences:request_sent", request_id=licence_request.pk)
    return render(
        request, "licences/key_people/change.html", {**context, "form": form}, status=status
    )
