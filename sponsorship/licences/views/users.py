"""A Level 1 user manages the users of their licence (DOMAIN.md "Actors"): lists them, requests
a new Level 1 user (a caseworker decides), creates Level 2 users (active at once), amends their
own details or a Level 2 user's, and deactivates any other user. The services hold the rules;
these pages say what happened."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sponsorship.accounts.models import User, UserLevel
from sponsorship.accounts.selectors import (
    level_1_active_count,
    user_get_for_level_1,
    user_list_for_sponsor,
)
from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted, StaleEdit
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import services
from ..forms.people import UserAmendForm, UserDetailsForm, add_service_error
from ..selectors import sponsor_of


def _refused_here(error: ApplicationError) -> bool:
    """Errors the page explains itself; a missing user or a missing right is the error pages'."""
    return not isinstance(error, NotFound | NotPermitted)


def _may_amend(actor: User, user: User) -> bool:
    return services.amend_refusal(actor, user) is None


def _may_deactivate(actor: User, user: User) -> bool:
    return services.deactivate_refusal(actor, user) is None


@requires(Permission.USERS_MANAGE)
def user_list(request: SignedInRequest) -> HttpResponse:
    sponsor_id = sponsor_of(request.user).pk
    return render(
        request,
        "licences/users/list.html",
        {
            "page": paginate(request, user_list_for_sponsor(sponsor_id=sponsor_id)),
            "level_1_active": level_1_active_count(sponsor_id=sponsor_id),
        },
    )


def _new_user(request: SignedInRequest, *, level_1: bool) -> HttpResponse:
    """The form both new-user pages share; only the service called and the answer differ."""
    form = UserDetailsForm(request.POST or None, new_user=True, level_1=level_1)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            actor, details, ip = request.user, form.details(), client_ip(request)
            try:
                if level_1:
                    licence_request = services.user_request_level_1(
                        actor=actor, details=details, ip=ip
                    )
                    return redirect("licences:request_sent", request_id=licence_request.pk)
                new_user = services.user_create_level_2(actor=actor, details=details, ip=ip)
                return redirect("licences:user_created", user_id=new_user.pk)
            except ApplicationError as error:
                if not _refused_here(error):
                    raise
                add_service_error(form, error.field, error.message)
                status = error.http_status
    return render(
        request, "licences/users/new.html", {"form": form, "level_1": level_1}, status=status
    )


@requires(Permission.USERS_MANAGE)
def user_request_level_1(request: SignedInRequest) -> HttpResponse:
    """Goes to a caseworker: the new user waits, as Requested, for approval."""
    return _new_user(request, level_1=True)


@requires(Permission.USERS_MANAGE)
def user_create_level_2(request: SignedInRequest) -> HttpResponse:
    """Active at once: the service e-mails them a temporary password."""
    return _new_user(request, level_1=False)


@requires(Permission.USERS_MANAGE)
def user_created(request: SignedInRequest, user_id: int) -> HttpResponse:
    """The confirmation after creating a Level 2 user: their new user ID."""
    new_user = user_get_for_level_1(user=request.user, user_id=user_id)
    return render(request, "licences/users/created.html", {"new_user": new_user})


@requires(Permission.USERS_MANAGE)
def user_detail(request: SignedInRequest, user_id: int) -> HttpResponse:
    user = user_get_for_level_1(user=request.user, user_id=user_id)
    return render(
        request,
        "licences/users/detail.html",
        {
            "subject": user,
            "is_self": user.pk == request.user.pk,
            "may_amend": _may_amend(request.user, user),
            "may_deactivate": _may_deactivate(request.user, user),
        },
    )


@requires(Permission.USERS_MANAGE)
def user_amend(request: SignedInRequest, user_id: int) -> HttpResponse:
    user = user_get_for_level_1(user=request.user, user_id=user_id)
    if not user.is_active:
        raise NotPermitted("Only active users can be amended.")
    if not _may_amend(request.user, user):
        raise NotPermitted(
            "You can amend your own details and Level 2 users' details, not another Level 1 "
            "user's. They can amend their own."
        )
    is_self = user.pk == request.user.pk
    level_1 = user.level == UserLevel.LEVEL_1
    initial = {field: getattr(user, field) for field in services.UserDetails.__dataclass_fields__}
    form = UserAmendForm(
        request.POST or None, initial={**initial, "version": user.version}, level_1=level_1
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        details = form.details(settled_default=user.is_settled_worker)
        try:
            licence_request = services.user_amend(
                actor=request.user,
                user_id=user.pk,
                version=form.cleaned_data["version"],
                details=details,
                ip=client_ip(request),
            )
        except ApplicationError as error:
            if not _refused_here(error):
                raise
            # A stale save is about the whole form, not one field.
            add_service_error(
                form, None if isinstance(error, StaleEdit) else error.field, error.message
            )
            status = error.http_status
        else:
            if licence_request is not None:
                return redirect("licences:request_sent", request_id=licence_request.pk)
            name = f"{details.given_names} {details.family_name}"
            messages.success(request, f"{name}'s details were saved.")
            return redirect("licences:user", user_id=user.pk)
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "licences/users/amend.html",
        {"form": form, "subject": user, "is_self": is_self, "level_1": level_1},
        status=status,
    )


@requires(Permission.USERS_MANAGE)
def user_deactivate(request: SignedInRequest, user_id: int) -> HttpResponse:
    user = user_get_for_level_1(user=request.user, user_id=user_id)
    refusal = ""
    status = 200
    if request.method == "POST":
        try:
            services.user_deactivate(actor=request.user, user_id=user.pk, ip=client_ip(request))
        except ApplicationError as error:
            if not _refused_here(error):
                raise
            refusal = error.message
            status = error.http_status
        else:
            messages.success(
                request,
                f"{user.full_name} ({user.username}) was deactivated. They can no longer sign in.",
            )
            return redirect("licences:users")
    return render(
        request,
        "licences/users/deactivate.html",
        {
            "subject": user,
            "is_self": user.pk == request.user.pk,
            "may_deactivate": _may_deactivate(request.user, user) and not refusal,
            "refusal": refusal,
        },
        status=status,
    )
