"""Page URLs of contact meetings and major issues (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import views
from .models import Meeting

urlpatterns = [
    path("governance/meetings/run-now/", views.tick_run, name="consultation_tick"),
    path("governance/meetings/<int:pk>/invitation.ics", views.meeting_ics_download, name="meeting_ics"),
    path("governance/meetings/<int:pk>/do/<slug:step>/", views.meeting_step, name="meeting_step"),
    *object_urlpatterns_from("governance/meetings", Meeting, views),
    path("governance/action-items/", views.ActionItemListView.as_view(), name="actionitem_list"),
    path("governance/action-items/<int:pk>/status/", views.action_item_status, name="actionitem_status"),
    path("governance/issues/raise/", views.issue_raise, name="issue_create"),
    path("governance/issues/deadlines/", views.issue_deadlines, name="issue_deadlines"),
    path("governance/issues/", views.IssueListView.as_view(), name="issue_list"),
    path("governance/issues/<int:pk>/", views.IssueDetailView.as_view(), name="issue_detail"),
    path("governance/issues/<int:pk>/edit/", views.IssueEditView.as_view(), name="issue_edit"),
    path("governance/issues/<int:pk>/history/", views.IssueHistoryView.as_view(), name="issue_history"),
    path("governance/issues/<int:pk>/do/<slug:step>/", views.issue_step, name="issue_step"),
]
