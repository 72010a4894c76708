"""Page URLs of governance (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import dashboard, views
from .models import (
    AssessmentLine,
    AssessmentRun,
    Objection,
    PolicyDocument,
    ProgrammeVersion,
    SubsidyProgramme,
    SubsidyRule,
)

urlpatterns = [
    path("governance/dashboard/", dashboard.governance_dashboard, name="governance_dashboard"),
    *object_urlpatterns_from("governance/policies", PolicyDocument, views),
    *object_urlpatterns_from("governance/programmes", SubsidyProgramme, views),
    *object_urlpatterns_from("governance/versions", ProgrammeVersion, views),
    path("governance/versions/<int:version_pk>/rules/add/<slug:kind>/", views.rule_create, name="subsidyrule_create"),
    path("governance/rules/<int:pk>/edit/", views.rule_edit, name="subsidyrule_edit"),
    *object_urlpatterns_from("governance/rules", SubsidyRule, views),
    *object_urlpatterns_from("governance/runs", AssessmentRun, views),
    path("governance/runs/<int:pk>/do/<slug:action>/", views.run_action, name="assessmentrun_action"),
    path("governance/runs/<int:pk>/diff/", views.run_diff, name="assessmentrun_diff"),
    path("governance/runs/<int:pk>/export.xlsx", views.run_export, name="assessmentrun_export"),
    path(
        "governance/runs/<int:pk>/report/<slug:kind>/<int:payee_pk>/",
        views.run_payee_report,
        name="assessmentrun_payee_report",
    ),
    *object_urlpatterns_from("governance/lines", AssessmentLine, views),
    path("governance/lines/<int:line_pk>/object/", views.objection_create, name="objection_create"),
    *object_urlpatterns_from("governance/objections", Objection, views),
    path("governance/objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("governance/objections/<int:pk>/withdraw/", views.objection_withdraw, name="objection_withdraw"),
    # The public pages (no login): the park's public policy documents.
    path("policies/<slug:park_code>/", views.policy_public_list, name="policy_public_list"),
    path("policies/<slug:park_code>/<int:pk>/", views.policy_public_detail, name="policy_public_detail"),
    path(
        "policies/<slug:park_code>/<int:pk>/files/<int:file_pk>/", views.policy_public_file, name="policy_public_file"
    ),
]
