"""URLs of the licence pages: see the module docstrings of their views."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
