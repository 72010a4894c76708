"""Page URLs of park operations (included at the site root by ``iepark.urls``)."""

from iepark.core.generic_views import object_urlpatterns_from

from . import views
from .models import ServiceNotice, ServicePoint

urlpatterns = [
    *object_urlpatterns_from("service-points", ServicePoint, views),
    *object_urlpatterns_from("service-notices", ServiceNotice, views),
]
