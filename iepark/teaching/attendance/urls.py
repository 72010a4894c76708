"""Page URLs of attendance (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import views
from .models import AttendanceSession, LeaveRequest

urlpatterns = [
    path("attendance/", views.sessions, name="attendance_sessions"),
    path("attendance/take/<int:entry>/<str:date>/", views.take, name="attendance_take"),
    path("attendance/mine/", views.mine, name="attendance_mine"),
    path("attendance/rates/", views.rates, name="attendance_rates"),
    path("attendance/rates/export/", views.rates_export, name="attendance_rates_export"),
    path("attendance/threshold/", views.threshold_settings, name="attendance_threshold"),
    *object_urlpatterns_from("attendance/sessions", AttendanceSession, views),
    *object_urlpatterns_from("attendance/leave", LeaveRequest, views),
    path("attendance/leave/<int:pk>/<slug:step>/", views.leave_step, name="leaverequest_step"),
]
