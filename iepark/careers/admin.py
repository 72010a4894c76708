"""Read-only, policy-scoped admin of the careers models (for the installation's superusers)."""

from django.contrib import admin

from iepark.core.admin import PolicyReadOnlyAdmin

from . import models

admin.site.register(
    models.EmployerProfile, PolicyReadOnlyAdmin, list_display=["organisation", "vetting_status", "vetted_at"]
)
admin.site.register(models.DemandPlan, PolicyReadOnlyAdmin, list_display=["enterprise", "title", "year_from", "status"])
admin.site.register(models.Posting, PolicyReadOnlyAdmin, list_display=["title", "enterprise", "kind", "vetting_status"])
admin.site.register(models.Application, PolicyReadOnlyAdmin, list_display=["student", "posting", "status"])
admin.site.register(models.Offer, PolicyReadOnlyAdmin, list_display=["application", "post", "status", "deadline"])
admin.site.register(models.MatchingRound, PolicyReadOnlyAdmin, list_display=["name", "park", "cohort_year", "status"])
admin.site.register(
    models.EmploymentRecord, PolicyReadOnlyAdmin, list_display=["student", "employer", "start_date", "end_date"]
)
admin.site.register(models.EmploymentClaim, PolicyReadOnlyAdmin, list_display=["student", "source", "as_of", "status"])
admin.site.register(models.GraduateDestination, PolicyReadOnlyAdmin, list_display=["student", "category", "as_of"])
