from django.urls import path

from .views import batches

urlpatterns = [
    path("", batches.batch_list, name="batches"),
    path("new/", batches.batch_new, name="batch_new"),
    path("<int:batch_id>/", batches.batch_detail, name="batch"),
    path("<int:batch_id>/add/", batches.batch_add, name="batch_add"),
    path("<int:batch_id>/link/", batches.batch_link, name="batch_link"),
    path(
        "<int:batch_id>/unlink/<int:certificate_id>/",
        batches.batch_unlink,
        name="batch_unlink",
    ),
    path("<int:batch_id>/assign/", batches.batch_assign, name="batch_assign"),
    path("<int:batch_id>/transfer/", batches.batch_transfer, name="batch_transfer"),
]
