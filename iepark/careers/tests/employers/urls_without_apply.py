"""Only this area's URLs: no "apply" page exists."""

from django.urls import include, path

urlpatterns = [path("", include("iepark.careers.employers.urls"))]
