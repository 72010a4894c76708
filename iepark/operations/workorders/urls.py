"""Page URLs of maintenance work orders (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import views
from .models import MaintenancePlan

urlpatterns = [
    path("work-orders/", views.WorkOrderListView.as_view(), name="workorder_list"),
    path("work-orders/report/", views.report, name="workorder_create"),
    path("work-orders/mine/", views.my_reports, name="workorder_mine"),
    path("work-orders/service-levels/", views.service_levels, name="workorder_service_levels"),
    path("work-orders/compliance/", views.compliance, name="workorder_compliance"),
    path("work-orders/run-now/", views.tick_run, name="workorder_tick"),
    path("work-orders/<int:pk>/", views.WorkOrderDetailView.as_view(), name="workorder_detail"),
    path("work-orders/<int:pk>/edit/", views.WorkOrderEditView.as_view(), name="workorder_edit"),
    path("work-orders/<int:pk>/history/", views.WorkOrderHistoryView.as_view(), name="workorder_history"),
    path("work-orders/<int:pk>/photos/", views.work_order_photos, name="workorder_photos"),
    path("work-orders/<int:pk>/<slug:step>/", views.work_order_step, name="workorder_step"),
    *object_urlpatterns_from("maintenance-plans", MaintenancePlan, views),
]
