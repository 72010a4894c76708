"""Forms of the portal area's management pages. They validate and display; the services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from iepark.careers.models import LivingSection
from iepark.core import policy
from iepark.core.choices import Role
from iepark.core.forms import ServiceModelForm
from iepark.core.selectors import park_list

# Who keeps a park's "living in the park" sections (the policy's add rule says the same).
LIVING_EDITOR_ROLES = (Role.PARK_ADMIN, Role.OPERATOR_STAFF)


class LivingSectionForm(ServiceModelForm):
    class Meta:
        model = LivingSection
        fields = ["park", "order", "icon", "title", "title_en", "body", "body_en"]

    fieldsets = (
        (_("Section"), ["park", "order", "icon"]),
        (_("Chinese"), ["title", "body"]),
        (_("English"), ["title_en", "body_en"]),
    )

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["park"]
        else:
            actor = policy.actor_for(self.user)
            parks = park_list(user=self.user)
            if not actor.is_superuser:
                parks = parks.filter(pk__in=actor.parks(LIVING_EDITOR_ROLES))
            self.fields["park"].queryset = parks
            self.use_single_choice("park")
        self.fields["order"].help_text = _("Sections are shown from the smallest number up.")
        self.fields["icon"].help_text = _("A Bootstrap Icons name, e.g. house, cup-hot, heart-pulse, bus-front.")
        for name in ("body", "body_en"):
            self.fields[name].widget.attrs["rows"] = 5
