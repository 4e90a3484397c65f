"""Caseworkers act on a licence: a route's rating, the licence's status (only the moves the
transition table allows are offered), the settled-worker exception. Each action takes reasons
and is checked on a confirmation page before it is done."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from sponsorship.core.access import requires
from sponsorship.core.errors import NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences import services as licence_services
from sponsorship.licences.models import LicenceStatus, Rating, Sponsor
from sponsorship.licences.transitions import LICENCE_TRANSITIONS

from ..forms import RatingForm, ReasonsForm, SettledExceptionForm
from ..selectors import action_plan_list_for_caseworker, sponsor_get_for_caseworker
from .confirm import checked_action


@dataclass(frozen=True)
class StatusAction:
    slug: str
    status: LicenceStatus
    title: str
    confirm: str
    warning: str = ""


STATUS_ACTIONS: dict[str, StatusAction] = {
    a.slug: a
    for a in (
        StatusAction(
            "suspend",
            LicenceStatus.SUSPENDED,
            "Suspend the licence",
            "Suspend the licence",
            "While it is suspended the sponsor cannot request allocations, apply for Premium or "
            "Student Sponsor status, or create, assign or view certificates. The sponsor is "
            "given a date by which to respond.",
        ),
        StatusAction(
            "reinstate", LicenceStatus.ACTIVE, "Reinstate the licence", "Reinstate the licence"
        ),
        StatusAction(
            "make-dormant",
            LicenceStatus.DORMANT,
            "Make the licence dormant",
            "Make the licence dormant",
            "While it is dormant the sponsor's licence menu is hidden and it cannot use "
            "certificates.",
        ),
        StatusAction(
            "revoke",
            LicenceStatus.REVOKED,
            "Revoke the licence",
            "Revoke the licence",
            "Revocation is final: the licence can never be reinstated. Its users can no longer "
            "sign in, and its live certificates will be cancelled.",
        ),
        StatusAction(
            "record-surrender",
            LicenceStatus.SURRENDERED,
            "Record the surrender of the licence",
            "Record the surrender",
            "A surrender is final: the licence can never be reinstated and its users can no "
            "longer sign in.",
        ),
    )
}


def status_actions_for(sponsor: Sponsor) -> list[StatusAction]:
    """The moves the transition table allows from the licence's status, and no others."""
    allowed = LICENCE_TRANSITIONS[sponsor.status]
    return [action for action in STATUS_ACTIONS.values() if action.status in allowed]


def _back_to(sponsor: Sponsor) -> HttpResponse:
    return redirect("casework:sponsor", sponsor_id=sponsor.pk)


@requires(Permission.CASEWORK_LICENCE_ACT)
def rating_change(request: SignedInRequest, sponsor_id: int) -> HttpResponse:
    sponsor = sponsor_get_for_caseworker(sponsor_id=sponsor_id)
    routes = list(sponsor.routes.all())
    form = RatingForm(
        request.POST or None, routes=routes, initial={"route": request.GET.get("route", "")}
    )

    def act(form: forms.Form) -> HttpResponse:
        data = form.cleaned_data
        changed = licence_services.route_rating_change(
            caseworker=request.user,
            sponsor_id=sponsor.pk,
            route=data["route"],
            rating=data["rating"],
            reasons=data["reasons"],
            action_plan_steps=data["action_plan_steps"],
            ip=client_ip(request),
        )
        said = f"{changed.get_route_display()} is now {changed.get_rating_display()}."
        if changed.rating == Rating.B:
            plan = action_plan_list_for_caseworker(sponsor_id=sponsor.pk).first()
            if plan is not None:
                said += (
                    f" An action plan has been sent: the sponsor must pay {plan.fee_pounds} by "
                    f"{plan.payment_due:%-d %B %Y}."
                )
        messages.success(request, said)
        return _back_to(sponsor)

    return checked_action(
        request,
        form,
        template="casework/licence_action.html",
        context={"sponsor": sponsor, "title": "Change a route's rating", "confirm": "Change"},
        act=act,
    )


@requires(Permission.CASEWORK_LICENCE_ACT)
def status_change(request: SignedInRequest, sponsor_id: int, action: str) -> HttpResponse:
    sponsor = sponsor_get_for_caseworker(sponsor_id=sponsor_id)
    move = STATUS_ACTIONS.get(action)
    if move is None:
        raise NotFound("There is no such action.")
    form = ReasonsForm(request.POST or None)

    def act(form: forms.Form) -> HttpResponse:
        changed = licence_services.licence_status_change(
            caseworker=request.user,
            sponsor_id=sponsor.pk,
            status=move.status,
            reasons=form.cleaned_data["reasons"],
            ip=client_ip(request),
        )
        said = f"The licence is now {changed.get_status_display().lower()}."
        if changed.status_response_due:
            said += f" The sponsor must respond by {changed.status_response_due:%-d %B %Y}."
        messages.success(request, said)
        return _back_to(sponsor)

    return checked_action(
        request,
        form,
        template="casework/licence_action.html",
        context={
            "sponsor": sponsor,
            "title": move.title,
            "confirm": move.confirm,
            "warning": move.warning,
            "offered": move in status_actions_for(sponsor),
        },
        act=act,
    )


@requires(Permission.CASEWORK_LICENCE_ACT)
def settled_exception(request: SignedInRequest, sponsor_id: int) -> HttpResponse:
    sponsor = sponsor_get_for_caseworker(sponsor_id=sponsor_id)
    form = SettledExceptionForm(
        request.POST or None, initial={"exception": sponsor.settled_worker_exception}
    )

    def act(form: forms.Form) -> HttpResponse:
        changed = licence_services.settled_exception_set(
            caseworker=request.user,
            sponsor_id=sponsor.pk,
            exception=form.cleaned_data["exception"],
            reasons=form.cleaned_data["reasons"],
            ip=client_ip(request),
        )
        messages.success(
            request,
            f"Settled-worker exception: {changed.get_settled_worker_exception_display()}.",
        )
        return _back_to(sponsor)

    return checked_action(
        request,
        form,
        template="casework/licence_action.html",
        context={
            "sponsor": sponsor,
            "title": "Exception to the settled Level 1 user rule",
            "confirm": "Record the exception",
        },
        act=act,
    )
