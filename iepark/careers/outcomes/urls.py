"""Page URLs of this area (included by ``iepark.careers.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from ..models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation
from . import views

urlpatterns = [
    path("employment/claims/to-settle/", views.ClaimConflictListView.as_view(), name="claim_conflicts"),
    path("employment/claims/<int:pk>/apply/", views.claim_apply, name="claim_apply"),
    path("employment/claims/<int:pk>/dismiss/", views.claim_dismiss, name="claim_dismiss"),
    *object_urlpatterns_from("employment/claims", EmploymentClaim, views),
    path("employment/headcount/confirm/", views.headcount_confirm, name="headcount_confirm"),
    *object_urlpatterns_from("employment/headcount", HeadcountConfirmation, views),
    path("employment/survey/", views.employment_survey, name="employment_survey"),
    path("employment/survey/upload/", views.employment_survey_upload, name="employment_survey_upload"),
    path("employment/survey/template.xlsx", views.employment_survey_template, name="employment_survey_template"),
    path("employment/mine/", views.employment_mine, name="employment_mine"),
    path("employment/<int:pk>/end/", views.employment_record_end, name="employment_record_end"),
    *object_urlpatterns_from("employment", EmploymentRecord, views),
    path("destinations/placement/", views.placement_page, name="placement"),
    *object_urlpatterns_from("destinations", GraduateDestination, views),
]
