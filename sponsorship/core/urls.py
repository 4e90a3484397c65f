from django.urls import path

from .views import sponsor

app_name = "core"

urlpatterns = [
    path("", sponsor.root, name="root"),
    path("home/", sponsor.home, name="home"),
    path("contact/", sponsor.contact, name="contact"),
    path("accessibility/", sponsor.accessibility, name="accessibility"),
]
