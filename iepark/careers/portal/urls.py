"""
URLs of the portal area, under ``/careers/`` (``iepark.urls``).

The public portal of each park lives at ``/careers/<park code>/``; the
management pages of the living sections at ``/careers/living-sections/``
(listed first, so a park may not take that code).
"""

from django.urls import path

from iepark.careers.models import LivingSection
from iepark.core.generic_views import object_urlpatterns_from

from . import views

urlpatterns = [
    path("", views.portal_index, name="portal_index"),
    *object_urlpatterns_from("living-sections", LivingSection, views),
    path("<slug:park_code>/", views.portal_home, name="portal_home"),
    path("<slug:park_code>/jobs/", views.portal_jobs, name="portal_jobs"),
    path("<slug:park_code>/jobs/<int:pk>/", views.portal_job, name="portal_job"),
    path("<slug:park_code>/enterprises/", views.portal_enterprises, name="portal_enterprises"),
    path("<slug:park_code>/enterprises/<int:pk>/", views.portal_enterprise, name="portal_enterprise"),
    path("<slug:park_code>/order-classes/", views.portal_order_classes, name="portal_order_classes"),
    path("<slug:park_code>/living/", views.portal_living, name="portal_living"),
    path("<slug:park_code>/services/", views.portal_services, name="portal_services"),
]
