"""Page URLs of teaching (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import my_timetable_views, timetable_views, views
from .models import (
    Cohort,
    CooperationAgreement,
    Course,
    Enrolment,
    Room,
    RoomFeature,
    RoomUnavailability,
    TeacherUnavailability,
    Term,
    TimetableRun,
)

urlpatterns = [
    path("my/timetable/", my_timetable_views.my_timetable, name="my_timetable"),
    path("my/timetable.ics", my_timetable_views.my_timetable_ics, name="my_timetable_ics"),
    path("my/timetable.xlsx", my_timetable_views.my_timetable_xlsx, name="my_timetable_xlsx"),
    path("my/timetable/feed/", my_timetable_views.my_timetable_feed_regenerate, name="my_timetable_feed"),
    path("timetable/<str:kind>/<int:pk>/", my_timetable_views.subject_timetable, name="subject_timetable"),
    path("timetable/<str:kind>/<int:pk>.ics", my_timetable_views.subject_timetable_ics, name="subject_timetable_ics"),
    path(
        "timetable/<str:kind>/<int:pk>.xlsx", my_timetable_views.subject_timetable_xlsx, name="subject_timetable_xlsx"
    ),
    path("timetable-feed/<str:token>.ics", my_timetable_views.timetable_feed, name="timetable_feed"),
    path(
        "timetable-feed/<str:token>/<str:kind>/<int:pk>.ics",
        my_timetable_views.timetable_feed_subject,
        name="timetable_feed_subject",
    ),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/activate/", views.agreement_activate, name="agreement_activate"),
    path("agreements/<int:pk>/terminate/", views.agreement_terminate, name="agreement_terminate"),
    *object_urlpatterns_from("agreements", CooperationAgreement, views),
    path("cohorts/<int:pk>/enrol/", views.cohort_enrol, name="cohort_enrol"),
    *object_urlpatterns_from("cohorts", Cohort, views),
    path("enrolments/<int:pk>/end/", views.enrolment_end, name="enrolment_end"),
    *object_urlpatterns_from("enrolments", Enrolment, views),
    path("terms/<int:pk>/timetable/", timetable_views.term_timetable_start, name="term_timetable_start"),
    *object_urlpatterns_from("terms", Term, views),
    path("timetable-runs/<int:pk>/publish/", timetable_views.timetable_publish, name="timetablerun_publish"),
    path("timetable-runs/<int:pk>/grid/", timetable_views.timetable_grid, name="timetablerun_grid"),
    path("timetable-runs/<int:pk>/copy/", timetable_views.timetable_copy, name="timetablerun_copy"),
    path("timetable-entries/<int:pk>/move/", timetable_views.timetable_entry_move, name="timetableentry_move"),
    *object_urlpatterns_from("timetable-runs", TimetableRun, timetable_views),
    *object_urlpatterns_from("rooms", Room, views),
    *object_urlpatterns_from("room-features", RoomFeature, views),
    *object_urlpatterns_from("room-unavailability", RoomUnavailability, views),
    *object_urlpatterns_from("courses", Course, views),
    *object_urlpatterns_from("teacher-unavailability", TeacherUnavailability, views),
]
