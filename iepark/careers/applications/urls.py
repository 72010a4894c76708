"""Page URLs of this area (included by ``iepark.careers.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from ..models import Application, Interview, Offer, StudentProfile
from . import views

urlpatterns = [
    path("my-career/", views.my_career, name="my_career"),
    *object_urlpatterns_from("career-profiles", StudentProfile, views),
    # Applications: the student applies to a posting (linked from the postings' pages).
    path("applications/apply/<int:posting_id>/", views.application_create_for, name="application_create_for"),
    path("applications/board/", views.application_board, name="application_board"),
    path("applications/board/posting/<int:posting_id>/", views.application_board, name="application_board_posting"),
    *object_urlpatterns_from("applications", Application, views),
    path("applications/<int:pk>/move/", views.application_move, name="application_move"),
    path("applications/<int:pk>/reject/", views.application_reject, name="application_reject"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/interviews/propose/", views.interview_propose, name="interview_propose"),
    path("applications/<int:pk>/offer/", views.offer_create_for, name="offer_create_for"),
    # Interview times.
    *object_urlpatterns_from("interviews", Interview, views),
    path("interviews/<int:pk>/choose/", views.interview_choose, name="interview_choose"),
    path("interviews/<int:pk>/cancel/", views.interview_cancel, name="interview_cancel"),
    path("interviews/<int:pk>/calendar.ics", views.interview_ics_download, name="interview_ics"),
    # Offers.
    *object_urlpatterns_from("offers", Offer, views),
    path("offers/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    # Notifications.
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
]
