"""Page URLs of park operations (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import dashboard, views
from .models import (
    AllocationRun,
    BedAssignment,
    DormBuilding,
    DormRoom,
    HousingWish,
    RoomTransferRequest,
    ServiceNotice,
    ServicePoint,
)

urlpatterns = [
    *object_urlpatterns_from("service-points", ServicePoint, views),
    *object_urlpatterns_from("service-notices", ServiceNotice, views),
    *object_urlpatterns_from("dormitories", DormBuilding, views),
    *object_urlpatterns_from("dorm-rooms", DormRoom, views),
    path("dorm-rooms/<int:pk>/add-bed/", views.dorm_bed_add, name="dorm_bed_add"),
    path("dorm-beds/<int:pk>/", views.dorm_bed_action, name="dorm_bed_action"),
    path("housing-wishes/record/", views.housing_wish_record, name="housing_wish_record"),
    *object_urlpatterns_from("housing-wishes", HousingWish, views),
    path("room-transfers/<int:pk>/act/<slug:step>/", views.room_transfer_act, name="room_transfer_act"),
    *object_urlpatterns_from("room-transfers", RoomTransferRequest, views),
    path("bed-assignments/check-in/", views.dorm_check_in, name="dorm_check_in"),
    path("bed-assignments/<int:pk>/check-out/", views.dorm_check_out, name="dorm_check_out"),
    *object_urlpatterns_from("bed-assignments", BedAssignment, views),
    *object_urlpatterns_from("allocation-runs", AllocationRun, views),
    path("my-room/", views.my_room, name="my_room"),
    path("operations/dashboard/", dashboard.operations_dashboard, name="operations_dashboard"),
]
