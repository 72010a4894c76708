"""REST endpoints of park operations (registered by ``iepark.urls``): thin over selectors and services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from iepark.core.api.base import ScopedViewSet
from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Organisation, Park
from iepark.core.validators import validate_phone

from . import selectors, services
from .choices import Weekday
from .filtersets import ServiceNoticeFilterSet, ServicePointFilterSet
from .models import ServiceNotice, ServicePoint

# --- service points -----------------------------------------------------------------------------


class OpeningPeriodSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M", help_text=_("Earlier than (or equal to) opens: the next day."))


class ServicePointSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    operator = ScopedRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, validators=[validate_phone])
    periods = OpeningPeriodSerializer(many=True, required=False)
    open_now = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = ServicePoint
        fields = [
            "id",
            "park",
            "kind",
            "kind_display",
            "name",
            "name_en",
            "place",
            "place_en",
            "hours_note",
            "hours_note_en",
            "phone",
            "operator",
            "is_active",
            "periods",
            "open_now",
        ]
        validators: list = []


class ServicePointViewSet(ScopedViewSet):
    """The park's service points with their weekly opening periods; ``open_now`` is computed in Beijing time."""

    serializer_class = ServicePointSerializer
    selector = staticmethod(selectors.service_point_list)
    filterset_class = ServicePointFilterSet
    ordering_fields = ["name", "kind", "id"]

    def create_object(self, data):
        return self._reload(services.service_point_create(actor=self.request.user, **data))

    def update_object(self, instance, data):
        data.pop("park", None)  # a point stays in its park
        periods = data.pop("periods", None)
        point = services.service_point_update(
            actor=self.request.user, service_point=instance, data=data, periods=periods
        )
        return self._reload(point)

    def delete_object(self, instance):
        services.service_point_delete(actor=self.request.user, service_point=instance)

    def _reload(self, point: ServicePoint) -> ServicePoint:
        """Return the point as the selector gives it (fresh periods, ``open_now``)."""
        return self.get_queryset().get(pk=point.pk)


class ServiceNoticeSerializer(serializers.ModelSerializer):
    service_point = ScopedRelatedField(queryset=ServicePoint.objects.all())
    service_point_name = serializers.CharField(source="service_point.name", read_only=True)

    class Meta:
        model = ServiceNotice
        fields = [
            "id",
            "service_point",
            "service_point_name",
            "title",
            "title_en",
            "body",
            "body_en",
            "valid_from",
            "valid_to",
            "closes_point",
        ]
        validators: list = []


class ServiceNoticeViewSet(ScopedViewSet):
    """Notices of service points ("closed for maintenance on Saturday"); ``current=true`` for those valid today."""

    serializer_class = ServiceNoticeSerializer
    selector = staticmethod(selectors.service_notice_list)
    filterset_class = ServiceNoticeFilterSet
    ordering_fields = ["valid_from", "valid_to", "id"]

    def create_object(self, data):
        return services.service_notice_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("service_point", None)  # a notice stays on its service point
        return services.service_notice_update(actor=self.request.user, notice=instance, data=data)

    def delete_object(self, instance):
        services.service_notice_delete(actor=self.request.user, notice=instance)


def register(router) -> None:
    """Register the operations viewsets on the API router."""
    router.register("service-points", ServicePointViewSet, basename="servicepoint")
    router.register("service-notices", ServiceNoticeViewSet, basename="servicenotice")
