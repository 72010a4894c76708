"""Page URLs of park operations (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import views
from .models import AllocationRun, BedAssignment, DormBuilding, DormRoom, ServiceNotice, ServicePoint

urlpatterns = [
    *object_urlpatterns_from("service-points", ServicePoint, views),
    *object_urlpatterns_from("service-notices", ServiceNotice, views),
    *object_urlpatterns_from("dormitories", DormBuilding, views),
    *object_urlpatterns_from("dorm-rooms", DormRoom, views),
    path("bed-assignments/check-in/", views.dorm_check_in, name="dorm_check_in"),
    path("bed-assignments/<int:pk>/check-out/", views.dorm_check_out, name="dorm_check_out"),
    *object_urlpatterns_from("bed-assignments", BedAssignment, views),
    *object_urlpatterns_from("allocation-runs", AllocationRun, views),
    path("my-room/", views.my_room, name="my_room"),
]
