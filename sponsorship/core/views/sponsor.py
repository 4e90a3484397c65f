"""The sponsor's home page and the pages every user can reach."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sponsorship.accounts.steps import home_url_for
from sponsorship.core.access import public, requires
from sponsorship.core.menus import menu_for
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences.selectors import sponsor_get_for_user


@requires(Permission.HOME_VIEW)
def home(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {"sponsor": sponsor_get_for_user(user=request.user), "menu": menu_for(request.user)},
    )


@public
def root(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:sign_in")
    return redirect(home_url_for(request.user))


@public
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/contact.html")


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
