"""The sponsor's pre-stored work addresses, under /work-addresses/."""

from django.urls import path

from .views import addresses

urlpatterns = [
    path("", addresses.work_addresses, name="work_addresses"),
    path("add/", addresses.work_address_add, name="work_address_add"),
    path("<int:address_id>/change/", addresses.work_address_change, name="work_address_change"),
    path("<int:address_id>/retire/", addresses.work_address_retire, name="work_address_retire"),
]
