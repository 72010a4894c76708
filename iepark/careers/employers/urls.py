"""Page URLs of employer profiles, demand plans, postings, the vetting queue and the zone's demand."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from ..models import DemandPlan, EmployerProfile, Posting
from . import views

urlpatterns = [
    path("employer-profiles/mine/", views.employer_profile_mine, name="employerprofile_mine"),
    *object_urlpatterns_from("employer-profiles", EmployerProfile, views),
    path("employer-profiles/<int:pk>/submit/", views.employer_profile_submit, name="employerprofile_submit"),
    path("employer-profiles/<int:pk>/approve/", views.employer_profile_approve, name="employerprofile_approve"),
    path("employer-profiles/<int:pk>/reject/", views.employer_profile_reject, name="employerprofile_reject"),
    *object_urlpatterns_from("demand-plans", DemandPlan, views),
    path("demand-plans/<int:pk>/submit/", views.demand_plan_submit, name="demandplan_submit"),
    path("demand-plans/<int:pk>/reopen/", views.demand_plan_reopen, name="demandplan_reopen"),
    path("demand-plans/<int:plan_pk>/lines/add/", views.demand_line_create, name="demandline_create"),
    path("demand-lines/<int:pk>/", views.demand_line_detail, name="demandline_detail"),
    path("demand-lines/<int:pk>/edit/", views.demand_line_edit, name="demandline_edit"),
    path("demand-lines/<int:pk>/delete/", views.demand_line_delete, name="demandline_delete"),
    path("zone-demand/", views.zone_demand, name="zone_demand"),
    path("zone-demand/export.xlsx", views.zone_demand_export, name="zone_demand_export"),
    path("open-postings/", views.posting_browse, name="posting_browse"),
    *object_urlpatterns_from("postings", Posting, views),
    path("postings/<int:pk>/submit/", views.posting_submit, name="posting_submit"),
    path("postings/<int:pk>/approve/", views.posting_approve, name="posting_approve"),
    path("postings/<int:pk>/reject/", views.posting_reject, name="posting_reject"),
    path("postings/<int:pk>/close/", views.posting_close, name="posting_close"),
    path("vetting/", views.vetting_queue, name="vetting_queue"),
]
