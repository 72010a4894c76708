"""Page URLs of this area (included by ``iepark.careers.urls``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("analytics/outcomes/", views.outcomes_dashboard, name="outcomes_dashboard"),
    path("analytics/outcomes/export.xlsx", views.outcomes_dashboard_export, name="outcomes_dashboard_export"),
    path("analytics/supply-demand/", views.supply_demand, name="supply_demand"),
    path("analytics/supply-demand/export.xlsx", views.supply_demand_export, name="supply_demand_export"),
]
