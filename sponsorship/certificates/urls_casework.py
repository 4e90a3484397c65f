"""The Home Office's certificate pages, under /casework/certificates/."""

from django.urls import URLPattern

app_name = "certificates"

urlpatterns: list[URLPattern] = []
