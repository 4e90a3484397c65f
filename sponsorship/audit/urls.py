from django.urls import path

from .views import sponsor

app_name = "audit"

urlpatterns = [
    path("audit-trail/", sponsor.trail, name="trail"),
    path("audit-trail/export.csv", sponsor.export, name="export"),
]
