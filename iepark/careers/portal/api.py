"""REST endpoints of the portal area (registered by ``iepark.careers.api``): the living sections."""

from __future__ import annotations

from rest_framework import serializers

from iepark.careers.models import LivingSection
from iepark.core.api.base import ScopedViewSet
from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Park

from . import selectors, services
from .filtersets import LivingSectionFilterSet


class LivingSectionSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())

    class Meta:
        model = LivingSection
        fields = ["id", "park", "order", "icon", "title", "title_en", "body", "body_en"]


class LivingSectionViewSet(ScopedViewSet):
    """The "living in the park" sections of the public careers portal (park administrators and operator staff write)."""

    serializer_class = LivingSectionSerializer
    selector = staticmethod(selectors.living_section_list)
    filterset_class = LivingSectionFilterSet
    ordering_fields = ["order", "title", "id"]

    def create_object(self, data):
        return services.living_section_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("park", None)  # a section stays in its park
        return services.living_section_update(actor=self.request.user, section=instance, data=data)

    def delete_object(self, instance):
        services.living_section_delete(actor=self.request.user, section=instance)


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register("living-sections", LivingSectionViewSet, basename="livingsection")
