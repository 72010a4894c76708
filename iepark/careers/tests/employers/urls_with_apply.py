"""The site's URLs plus a stand-in for the applications area's "apply" page (the tests of the Apply button)."""

from django.http import HttpResponse
from django.urls import path

from iepark.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path(
        "apply-stand-in/<int:posting_id>/",
        lambda request, posting_id: HttpResponse("ok"),
        name="application_create_for",
    ),
    *site_urlpatterns,
]
