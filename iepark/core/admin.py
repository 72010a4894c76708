"""
Django admin for the installation's superusers: a read-only window on the data.

The admin reads through the policy module like every other view, and it does
not write: changes go through the pages and API, whose services validate and
audit them.
"""

from django.contrib import admin

from . import policy
from .models import AuditEvent, Job, Major, Membership, Organisation, Park, Person, Student, Teacher


class PolicyReadOnlyAdmin(admin.ModelAdmin):
    """Scope the changelist with the policy and refuse every write."""

    def get_queryset(self, request):
        return policy.restrict(super().get_queryset(request), request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(Park)
class ParkAdmin(PolicyReadOnlyAdmin):
    list_display = ["code", "name", "name_en", "region"]


@admin.register(Organisation)
class OrganisationAdmin(PolicyReadOnlyAdmin):
    list_display = ["name", "kind", "industry", "park", "is_active"]
    list_filter = ["kind", "industry", "park"]
    search_fields = ["name", "name_en", "uscc"]


@admin.register(Person)
class PersonAdmin(PolicyReadOnlyAdmin):
    list_display = ["name", "name_en", "park", "user"]
    search_fields = ["name", "name_en"]
    exclude = ["national_id", "phone"]  # personal data is shown masked on the pages, not here


@admin.register(Membership)
class MembershipAdmin(PolicyReadOnlyAdmin):
    list_display = ["person", "organisation", "role", "start_date", "end_date"]
    list_filter = ["role"]


@admin.register(Major)
class MajorAdmin(PolicyReadOnlyAdmin):
    list_display = ["code", "name", "name_en", "park"]


@admin.register(Student)
class StudentAdmin(PolicyReadOnlyAdmin):
    list_display = ["student_number", "person", "college", "major", "cohort_year", "status"]
    list_filter = ["status", "cohort_year"]


@admin.register(Teacher)
class TeacherAdmin(PolicyReadOnlyAdmin):
    list_display = ["staff_number", "person", "organisation", "professional_title"]


@admin.register(AuditEvent)
class AuditEventAdmin(PolicyReadOnlyAdmin):
    list_display = ["timestamp", "actor_label", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]


@admin.register(Job)
class JobAdmin(PolicyReadOnlyAdmin):
    list_display = ["kind", "status", "progress", "total", "created_by", "created_at"]
