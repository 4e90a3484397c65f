from django.urls import path

from .views import sponsor

app_name = "api_tokens"

urlpatterns = [
    path("api-tokens/", sponsor.token_list, name="list"),
    path("api-tokens/<int:token_id>/revoke/", sponsor.token_revoke, name="revoke"),
]
