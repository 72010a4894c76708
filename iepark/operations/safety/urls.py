"""Page URLs of security and fire safety (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import views
from .models import (
    ChecklistItem,
    Finding,
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
)

urlpatterns = [
    *object_urlpatterns_from("safety/templates", InspectionTemplate, views),
    *object_urlpatterns_from("safety/checklist-items", ChecklistItem, views),
    path("safety/checklist-items/<int:pk>/move/<str:direction>/", views.checklist_item_move, name="checklistitem_move"),
    path("safety/schedules/generate/", views.schedule_generate, name="inspectionschedule_generate"),
    *object_urlpatterns_from("safety/schedules", InspectionSchedule, views),
    path("safety/rounds/<int:pk>/take/", views.round_take, name="inspectionround_take"),
    path("safety/rounds/<int:pk>/complete/", views.round_complete, name="inspectionround_complete"),
    path("safety/rounds/<int:pk>/findings/add/", views.round_finding_add, name="inspectionround_finding_add"),
    *object_urlpatterns_from("safety/rounds", InspectionRound, views),
    path("safety/findings/<int:pk>/photos/", views.finding_photos, name="finding_photos"),
    path("safety/findings/<int:pk>/raise-issue/", views.finding_raise_issue, name="finding_raise_issue"),
    *object_urlpatterns_from("safety/findings", Finding, views),
    path("safety/rectifications/<int:pk>/report-done/", views.task_report_done, name="rectificationtask_report_done"),
    path("safety/rectifications/<int:pk>/reinspect/", views.task_reinspect, name="rectificationtask_reinspect"),
    *object_urlpatterns_from("safety/rectifications", RectificationTask, views),
    path("fire-equipment/export.xlsx", views.equipment_export, name="fireequipment_export"),
    path("fire-equipment/<int:pk>/check/", views.equipment_check, name="fireequipment_check"),
    *object_urlpatterns_from("fire-equipment", FireEquipment, views),
]
