"""
Pages of the portal area.

The public careers portal (no login): each park's home, open postings,
employers, order-class seats and "living in the park", in Chinese and English.
Every read goes through ``selectors`` (``policy.public``): only vetted, public
rows of the park in the URL. Pages are the same for everybody, so shared caches
may keep them five minutes; they vary by language (``Accept-Language`` or the
language cookie).

Also the management pages of the living sections, for park administrators and
the operating company's staff, over the generic views.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from iepark.careers.choices import PostingKind
from iepark.careers.models import EmployerProfile, LivingSection, Posting
from iepark.core import generic_views as generic
from iepark.core import tables as core_tables
from iepark.core.forms import style_form
from iepark.core.models import Park
from iepark.core.policy import Actor

from . import selectors, services
from .filtersets import LivingSectionFilterSet, PublicPostingFilterSet
from .forms import LIVING_EDITOR_ROLES, LivingSectionForm
from .tables import LivingSectionTable

PAGE_SIZE = 20
FEATURED_POSTINGS = 6
HOME_EMPLOYERS = 12
CACHE_SECONDS = 300

# schema.org JobPosting employmentType of each kind of posting.
EMPLOYMENT_TYPES = {PostingKind.JOB: "FULL_TIME", PostingKind.INTERNSHIP: "INTERN", PostingKind.ORDER_SEAT: "OTHER"}


def public_page(view):
    """Serve a portal page to anybody (GET/HEAD), cacheable for five minutes, varying by language."""
    view = cache_control(public=True, max_age=CACHE_SECONDS)(view)
    view = vary_on_headers("Accept-Language", "Cookie")(view)
    return require_safe(view)


# ---------------------------------------------------------------------------
# Display helpers: the active language's text, pay ranges.
# ---------------------------------------------------------------------------


def in_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(obj: Any, name: str) -> str:
    """Return ``obj.<name>_en`` on English pages when it is filled in, else ``obj.<name>``."""
    english = getattr(obj, f"{name}_en", "") if in_english() else ""
    return english or getattr(obj, name, "")


def _money(value: int) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def pay_label(pay_min: int | None, pay_max: int | None) -> str:
    """Return a monthly pay range as shown on the portal ("¥5,000–7,000 a month")."""
    if pay_min and pay_max:
        if pay_min == pay_max:
            return _("¥%(pay)s a month") % {"pay": _money(pay_min)}
        return _("¥%(low)s–%(high)s a month") % {"low": _money(pay_min), "high": _money(pay_max)}
    if pay_min:
        return _("From ¥%(pay)s a month") % {"pay": _money(pay_min)}
    if pay_max:
        return _("Up to ¥%(pay)s a month") % {"pay": _money(pay_max)}
    return _("Pay to be agreed")


def present_postings(postings: Any) -> list[Posting]:
    """Give each posting its shown pay range (no queries)."""
    postings = list(postings)
    for posting in postings:
        posting.pay_label = pay_label(posting.pay_min, posting.pay_max)
    return postings


def monogram(name: str, park: Park) -> str:
    """Return the letter standing in for an enterprise's logo: its name's first, after the zone's own name."""
    name = name.strip()
    place_names = {park.name[:2], *park.name_en.split()[:1]} - {""}
    for place in sorted(place_names, key=len, reverse=True):
        rest = name.removeprefix(place).lstrip(" ·-")
        if rest != name and rest:
            name = rest
            break
    return (name[:1] or "?").upper()


def present_employers(profiles: Any, counts: dict[int, selectors.OpenCount], park: Park) -> list[EmployerProfile]:
    """Give each profile its texts in the active language, its open postings and its monogram (no queries)."""
    profiles = list(profiles)
    for profile in profiles:
        profile.shown_benefits = localized(profile, "benefits")
        profile.shown_housing = localized(profile, "housing")
        profile.open = counts.get(profile.organisation_id, selectors.OpenCount())
        profile.monogram = monogram(profile.organisation.display_name, park)
    return profiles


def sign_in_to_apply_url(posting: Posting) -> str:
    """Return the login page, sending the student on to the posting's in-app page (or home) afterwards."""
    try:
        target = reverse("posting_detail", args=[posting.pk])
    except NoReverseMatch:
        target = reverse("home")
    return f"{reverse('login')}?{urlencode({'next': target})}"


def job_posting_json_ld(request: HttpRequest, park: Park, posting: Posting, profile: EmployerProfile) -> SafeString:
    """Return the posting as a schema.org ``JobPosting`` (JSON-LD), safe to put inside a script element."""
    organisation = profile.organisation
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.display_title,
        "description": posting.display_description,
        "datePosted": timezone.localtime(posting.created_at).date().isoformat(),
        "employmentType": EMPLOYMENT_TYPES.get(posting.kind, "OTHER"),
        "totalJobOpenings": posting.headcount,
        "directApply": False,
        "url": request.build_absolute_uri(),
        "hiringOrganization": {"@type": "Organization", "name": organisation.display_name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": posting.location or park.display_name,
                "addressRegion": park.region or park.display_name,
                "addressCountry": "CN",
            },
        },
    }
    if organisation.website:
        data["hiringOrganization"]["sameAs"] = organisation.website
    if posting.closes_on:
        data["validThrough"] = posting.closes_on.isoformat()
    if posting.start_date:
        data["jobStartDate"] = posting.start_date.isoformat()
    if posting.pay_min or posting.pay_max:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "MONTH"}
        if posting.pay_min:
            value["minValue"] = posting.pay_min
        if posting.pay_max:
            value["maxValue"] = posting.pay_max
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "CNY", "value": value}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # Nothing in the data may close the script element early.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above


# ---------------------------------------------------------------------------
# The public pages.
# ---------------------------------------------------------------------------


# The largest id a database row can have (64-bit signed): a bigger one in the URL is simply not there.
MAX_ID = 2**63 - 1


def _check_id(pk: int) -> int:
    if pk > MAX_ID:
        raise Http404
    return pk


def _park_or_404(code: str) -> Park:
    park = selectors.park_public_get(code=code)
    if park is None:
        raise Http404
    return park


def park_sentence(park: Park) -> str:
    """Return the zone in a sentence (the home page's lead and its meta description)."""
    if park.region:
        return _(
            "%(park)s, in %(region)s, brings the zone's enterprises and vocational colleges together: "
            "study, train and start work where the jobs are."
        ) % {"park": park.display_name, "region": park.region}
    return _(
        "%(park)s brings the zone's enterprises and vocational colleges together: "
        "study, train and start work where the jobs are."
    ) % {"park": park.display_name}


def _render(
    request: HttpRequest,
    template: str,
    park: Park | None,
    section: str,
    *,
    title: str,
    description: str,
    **context: Any,
) -> HttpResponse:
    """Render a portal page with what its head needs: title, description, canonical address, site name."""
    context.setdefault("canonical_url", request.build_absolute_uri(request.path))
    site_name = _("%(park)s careers") % {"park": park.display_name} if park else _("Careers in the park")
    return render(
        request,
        f"careers/portal/{template}",
        {
            "park": park,
            "section": section,
            "title": title,
            "description": description,
            "site_name": site_name,
            **context,
        },
    )


def _paginate(request: HttpRequest, queryset: Any, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@public_page
def portal_index(request: HttpRequest) -> HttpResponse:
    """Show the park's portal home when the installation has one park, else the list of parks."""
    parks = list(selectors.park_public_list())
    if len(parks) == 1:
        park = parks[0]
        return _render_home(
            request, park, canonical_url=request.build_absolute_uri(reverse("portal_home", args=[park.code]))
        )
    return _render(
        request,
        "index.html",
        None,
        "index",
        title=_("Parks"),
        description=_("Jobs, internships and order classes at the enterprises of industry-education parks."),
        parks=parks,
    )


@public_page
def portal_home(request: HttpRequest, park_code: str) -> HttpResponse:
    return _render_home(request, _park_or_404(park_code))


def _render_home(request: HttpRequest, park: Park, **context: Any) -> HttpResponse:
    counts = selectors.open_counts_by_enterprise(park=park)
    featured = selectors.posting_public_list(park=park).exclude(kind=PostingKind.ORDER_SEAT)[:FEATURED_POSTINGS]
    figures = selectors.park_figures(park=park)
    return _render(
        request,
        "home.html",
        park,
        "home",
        title=_("Jobs, internships and order classes"),
        description=park_sentence(park),
        figures=figures,
        typical_pay=[(k.label, pay_label(k.pay_min, k.pay_max)) for k in figures.typical_pay],
        featured=present_postings(featured),
        employers=present_employers(selectors.employer_public_list(park=park)[:HOME_EMPLOYERS], counts, park),
        **context,
    )


@public_page
def portal_jobs(request: HttpRequest, park_code: str) -> HttpResponse:
    """The open postings of the park, filtered and searched, 20 a page."""
    park = _park_or_404(park_code)
    postings = selectors.posting_public_list(park=park).prefetch_related("majors")
    filterset = PublicPostingFilterSet(request.GET or None, queryset=postings, park=park)
    style_form(filterset.form)
    filterset.form.fields["major"].widget.attrs.pop("data-tom-select", None)  # no script on the portal
    page = _paginate(request, filterset.qs)
    active = sum(1 for name in filterset.form.fields if name != "q" and request.GET.get(name))
    return _render(
        request,
        "jobs.html",
        park,
        "jobs",
        title=_("Open postings"),
        description=_(
            "Open jobs, internships and order-class seats at the enterprises of %(park)s, with pay, shifts and housing."
        )
        % {"park": park.display_name},
        filter_form=filterset.form,
        active_filters=active,
        page_obj=page,
        postings=present_postings(page.object_list),
    )


@public_page
def portal_job(request: HttpRequest, park_code: str, pk: int) -> HttpResponse:
    """One posting: what it offers, its employer, and how to apply."""
    park = _park_or_404(park_code)
    posting = selectors.posting_public_get(park=park, pk=_check_id(pk))
    profile = posting and selectors.employer_public_get(park=park, organisation_id=posting.enterprise_id)
    if posting is None or profile is None:
        raise Http404
    is_open = posting.is_open()
    others = selectors.posting_public_list(park=park).filter(enterprise_id=posting.enterprise_id).exclude(pk=posting.pk)
    return _render(
        request,
        "job_detail.html",
        park,
        "order_classes" if posting.kind == PostingKind.ORDER_SEAT else "jobs",
        title=_("%(title)s at %(enterprise)s") % {"title": posting.display_title, "enterprise": profile.organisation},
        posting=present_postings([posting])[0],
        profile=present_employers([profile], {}, park)[0],
        is_open=is_open,
        others=present_postings(others[:4]),
        apply_url=sign_in_to_apply_url(posting),
        json_ld=job_posting_json_ld(request, park, posting, profile) if is_open else None,
        description=Truncator(posting.display_description).chars(160),
    )


@public_page
def portal_enterprises(request: HttpRequest, park_code: str) -> HttpResponse:
    park = _park_or_404(park_code)
    page = _paginate(request, selectors.employer_public_list(park=park), size=24)
    counts = selectors.open_counts_by_enterprise(park=park)
    return _render(
        request,
        "enterprises.html",
        park,
        "enterprises",
        title=_("Enterprises"),
        description=_("The vetted enterprises of %(park)s: what they do, pay, benefits, housing and open postings.")
        % {"park": park.display_name},
        page_obj=page,
        employers=present_employers(page, counts, park),
    )


@public_page
def portal_enterprise(request: HttpRequest, park_code: str, pk: int) -> HttpResponse:
    park = _park_or_404(park_code)
    profile = selectors.employer_public_get(park=park, organisation_id=_check_id(pk))
    if profile is None:
        raise Http404
    postings = present_postings(selectors.posting_public_list(park=park).filter(enterprise_id=pk))
    counts = {pk: selectors.OpenCount(len(postings), sum(p.headcount for p in postings))}
    return _render(
        request,
        "enterprise_detail.html",
        park,
        "enterprises",
        title=str(profile.organisation),
        profile=present_employers([profile], counts, park)[0],
        postings=postings,
        description=Truncator(profile.display_summary).chars(160),
    )


@public_page
def portal_order_classes(request: HttpRequest, park_code: str) -> HttpResponse:
    """Order-class seats (订单班): what an order class is, and the seats open now."""
    park = _park_or_404(park_code)
    seats = selectors.posting_public_list(park=park).filter(kind=PostingKind.ORDER_SEAT).prefetch_related("majors")
    page = _paginate(request, seats)
    return _render(
        request,
        "order_classes.html",
        park,
        "order_classes",
        title=_("Order classes"),
        description=_(
            "Order classes at %(park)s: an enterprise sponsors your class, trains you and commits to hire you."
        )
        % {"park": park.display_name},
        page_obj=page,
        postings=present_postings(page),
    )


@public_page
def portal_living(request: HttpRequest, park_code: str) -> HttpResponse:
    park = _park_or_404(park_code)
    return _render(
        request,
        "living.html",
        park,
        "living",
        title=_("Living in the park"),
        description=_("Dormitories, canteens, health care, sports and getting to work at %(park)s.")
        % {"park": park.display_name},
        sections=list(selectors.living_section_public_list(park=park)),
    )


@public_page
def portal_services(request: HttpRequest, park_code: str) -> HttpResponse:
    """The park's service points (canteens, supermarket, clinic...): where, when open, today's notices."""
    from iepark.operations import selectors as operations_selectors

    park = _park_or_404(park_code)
    now = timezone.now()
    points = list(operations_selectors.service_point_public_list(park=park, when=now))
    return _render(
        request,
        "services.html",
        park,
        "services",
        title=_("Services in the park"),
        description=_(
            "Canteens, the supermarket, the clinic, barber shops and parcel pick-up at %(park)s: "
            "where they are, when they are open and what is new."
        )
        % {"park": park.display_name},
        points=[(point, operations_selectors.service_point_public_week(point, when=now)) for point in points],
    )


# ---------------------------------------------------------------------------
# Managing the living sections (signed-in park administrators and operator staff).
# ---------------------------------------------------------------------------


def keeps_living_sections(actor: Actor) -> bool:
    return bool(actor.roles & set(LIVING_EDITOR_ROLES))


generic.register_menu_items(
    "careers",
    gettext_lazy("Careers"),
    [
        generic.MenuItem(
            gettext_lazy("Living in the park"),
            "livingsection_list",
            "house-heart",
            keeps_living_sections,
            LivingSection,
        )
    ],
    weight=30,
)


class LivingSectionMixin:
    model = LivingSection
    selector = staticmethod(selectors.living_section_list)


class LivingSectionListView(LivingSectionMixin, generic.ObjectListView):
    filterset_class = LivingSectionFilterSet
    filter_fields = ("q", "park")
    table_class = LivingSectionTable

    def get_queryset(self):
        return super().get_queryset().order_by("park__code", "order", "pk")


class LivingSectionDetailView(LivingSectionMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("park"),
        core_tables.Column("order"),
        core_tables.Column("icon", css_class="font-monospace"),
        core_tables.Column("title"),
        core_tables.Column("title_en"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["portal_url"] = reverse("portal_living", args=[obj.park.code])
        return context


class LivingSectionHistoryView(LivingSectionMixin, generic.ObjectHistoryView):
    pass


class LivingSectionEditView(LivingSectionMixin, generic.ObjectEditView):
    form_class = LivingSectionForm

    def create_object(self, form):
        return services.living_section_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        return services.living_section_update(actor=self.request.user, section=obj, data=form.service_data())


class LivingSectionDeleteView(LivingSectionMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.living_section_delete(actor=self.request.user, section=obj)
