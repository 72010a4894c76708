"""
The public careers portal: anonymous access in both languages, only vetted public
rows of the park in the URL, filters, SEO and cache headers, fixed query counts.
"""

from __future__ import annotations

import datetime
import json
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from iepark.careers.choices import PostingKind, ShiftPattern, VettingStatus
from iepark.careers.models import LivingSection
from iepark.careers.testing import make_employer, make_posting
from iepark.core.choices import Industry, OrganisationKind
from iepark.core.models import Major, Organisation, Park
from iepark.testing import make_uscc

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def text(response) -> str:
    return response.content.decode()


def url(name: str, park: Park, *args) -> str:
    return reverse(name, args=[park.code, *args])


def _enterprise(park: Park, name: str, serial: int, **extra) -> Organisation:
    return Organisation.objects.create(
        park=park,
        kind=OrganisationKind.ENTERPRISE,
        name=name,
        name_en=extra.pop("name_en", ""),
        industry=Industry.COAL_CHEMICAL,
        uscc=make_uscc(serial),
        **extra,
    )


@pytest.fixture
def portal(world):
    """Public postings of each kind at E1, and rows of every kind that must never show."""
    today = timezone.localdate()
    make_employer(world.enterprise_1)
    profile = world.enterprise_1.employer_profile
    profile.benefits, profile.benefits_en = "五险一金", "Social insurance and housing fund"
    profile.housing, profile.housing_en = "提供四人间宿舍", "Four-person dormitory rooms"
    profile.commute, profile.employees, profile.contact_email = "班车20分钟", 1200, "zhang.hr@e1.example.cn"
    profile.save()
    world.enterprise_1.name_en = "Coal Chemical One"
    world.enterprise_1.save()
    shown = {
        "job": make_posting(
            world,
            title="锅炉运行值班员",
            title_en="Boiler operator",
            shift_pattern=ShiftPattern.FOUR_TEAMS_THREE_SHIFTS,
            location="五彩湾园区",
            housing_provided=True,
            pay_min=6000,
            pay_max=9000,
            closes_on=today,
        ),
        "internship": make_posting(
            world,
            title="化验室实习生",
            title_en="Laboratory intern",
            kind=PostingKind.INTERNSHIP,
            shift_pattern=ShiftPattern.DAY,
            pay_min=3000,
            pay_max=3500,
        ),
        "order_seat": make_posting(
            world,
            title="煤化工订单班",
            title_en="Coal chemical order class",
            kind=PostingKind.ORDER_SEAT,
            headcount=40,
            pay_min=None,
            pay_max=None,
        ),
    }
    hidden = {
        "draft": make_posting(world, title="草稿岗位", title_en="Draft post", status=VettingStatus.DRAFT),
        "submitted": make_posting(world, title="待审岗位", title_en="Awaiting post", status=VettingStatus.SUBMITTED),
        "rejected": make_posting(
            world, title="驳回岗位", title_en="Rejected post", status=VettingStatus.REJECTED, rejection_reason="x"
        ),
        "withdrawn": make_posting(world, title="关闭岗位", title_en="Closed post", status=VettingStatus.CLOSED),
        "not_public": make_posting(world, title="内部岗位", title_en="Internal post", is_public=False),
        "unvetted_employer": make_posting(
            world,
            world.enterprise_2,
            title="未审企业岗位",
            title_en="Unvetted employer post",
            employer_status=VettingStatus.SUBMITTED,
        ),
        "inactive_enterprise": make_posting(
            world,
            _enterprise(world.park, "停业企业", 60, is_active=False),
            title="停业企业岗位",
            title_en="Inactive enterprise post",
        ),
        "other_park": make_posting(
            world, _enterprise(world.other_park, "外园企业", 61), title="外园岗位", title_en="Other park post"
        ),
    }
    expired = make_posting(
        world, title="过期岗位", title_en="Expired post", closes_on=today - datetime.timedelta(days=1)
    )
    LivingSection.objects.create(
        park=world.park,
        order=1,
        icon="cup-hot",
        title="食堂",
        title_en="Canteens",
        body="两个食堂",
        body_en="Two canteens",
    )
    LivingSection.objects.create(park=world.other_park, order=1, title="外园食堂", title_en="Other canteen", body="x")
    return {"shown": shown, "hidden": hidden, "expired": expired}


PUBLIC_PAGES = ["portal_home", "portal_jobs", "portal_enterprises", "portal_order_classes", "portal_living"]


# --- anonymous access, languages -------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_page_is_open_to_anonymous_visitors_in_both_languages(world, portal, client, name):
    english = client.get(url(name, world.park), **EN)
    chinese = client.get(url(name, world.park), **ZH)
    assert english.status_code == chinese.status_code == 200
    assert '<html lang="en">' in text(english) and '<html lang="zh-hans">' in text(chinese)
    assert "Zhundong Park" in text(english) and "准东产教融合园" in text(chinese)


def test_english_pages_show_english_titles_and_chinese_pages_chinese_ones(world, portal, client):
    job = portal["shown"]["job"]
    for name, args in (("portal_jobs", ()), ("portal_job", (job.pk,)), ("portal_home", ())):
        english, chinese = (
            text(client.get(url(name, world.park, *args), **EN)),
            text(client.get(url(name, world.park, *args), **ZH)),
        )
        assert "Boiler operator" in english and "锅炉运行值班员" not in english, name
        assert "锅炉运行值班员" in chinese and "Boiler operator" not in chinese, name
    english = text(client.get(url("portal_living", world.park), **EN))
    chinese = text(client.get(url("portal_living", world.park), **ZH))
    assert "Canteens" in english and "两个食堂" not in english
    assert "两个食堂" in chinese and "Two canteens" not in chinese


def test_the_language_cookie_chooses_the_language(world, portal, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url("portal_jobs", world.park), **ZH)
    assert '<html lang="en">' in text(response) and "Boiler operator" in text(response)


def test_the_language_switch_works_without_login(world, portal):
    client = Client(enforce_csrf_checks=True)
    jobs = url("portal_jobs", world.park)
    page = text(client.get(jobs, **ZH))
    assert f'action="{reverse("set_language")}"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": jobs, "csrfmiddlewaretoken": token}, **ZH
    )
    assert response.status_code == 302 and response["Location"] == jobs
    assert "Boiler operator" in text(client.get(jobs, **ZH))


def test_english_falls_back_to_chinese_when_a_text_has_no_translation(world, portal, client):
    posting = make_posting(world, title="仪表工", title_en="")
    assert "仪表工" in text(client.get(url("portal_job", world.park, posting.pk), **EN))


# --- only vetted, public rows of the park ---------------------------------------------------------------


def test_hidden_postings_never_appear_and_their_pages_are_404(world, portal, client):
    pages = [text(client.get(url(name, world.park), **EN)) for name in PUBLIC_PAGES]
    pages += [text(client.get(url("portal_enterprise", world.park, world.enterprise_1.pk), **EN))]
    for key, posting in portal["hidden"].items():
        for page in pages:
            assert posting.title_en not in page, key
        assert client.get(url("portal_job", world.park, posting.pk)).status_code == 404, key
    for key, posting in portal["shown"].items():
        assert client.get(url("portal_job", world.park, posting.pk)).status_code == 200, key


def test_unvetted_inactive_and_other_parks_enterprises_are_404(world, portal, client):
    assert client.get(url("portal_enterprise", world.park, world.enterprise_1.pk)).status_code == 200
    for key in ("unvetted_employer", "inactive_enterprise", "other_park"):
        enterprise = portal["hidden"][key].enterprise
        assert client.get(url("portal_enterprise", world.park, enterprise.pk)).status_code == 404, key
    page = text(client.get(url("portal_enterprises", world.park), **ZH))
    assert world.enterprise_1.name in page
    assert world.enterprise_2.name not in page and "停业企业" not in page and "外园企业" not in page


def test_another_parks_portal_shows_only_its_own_rows(world, portal, client):
    other = portal["hidden"]["other_park"]
    assert client.get(url("portal_job", world.other_park, other.pk)).status_code == 200
    page = text(client.get(url("portal_jobs", world.other_park), **EN))
    assert "Other park post" in page and "Boiler operator" not in page
    assert client.get(url("portal_job", world.other_park, portal["shown"]["job"].pk)).status_code == 404
    living = text(client.get(url("portal_living", world.other_park), **ZH))
    assert "外园食堂" in living and "两个食堂" not in living


def test_an_unknown_park_is_404(world, client):
    assert client.get(reverse("portal_home", args=["nowhere"])).status_code == 404
    assert client.get(reverse("portal_jobs", args=["nowhere"])).status_code == 404


def test_a_posting_past_its_closing_date_leaves_the_lists_and_says_it_is_closed(world, portal, client):
    expired = portal["expired"]
    assert "Expired post" not in text(client.get(url("portal_jobs", world.park), **EN))
    page = text(client.get(url("portal_job", world.park, expired.pk), **EN))
    assert "Applications for this posting have closed." in page
    assert "Sign in to apply" not in page and "application/ld+json" not in page
    # Closing today still counts as open.
    assert "Boiler operator" in text(client.get(url("portal_jobs", world.park), **EN))


def test_no_personal_data_on_any_page(world, portal, client):
    hr = world.persons["hr_e1"]
    urls = [url(name, world.park) for name in PUBLIC_PAGES] + [
        url("portal_job", world.park, portal["shown"]["job"].pk),
        url("portal_enterprise", world.park, world.enterprise_1.pk),
        reverse("portal_index"),
    ]
    for address in urls:
        for language in (EN, ZH):
            page = text(client.get(address, **language))
            for secret in (
                hr.name,
                hr.phone,
                hr.national_id,
                "zhang.hr@e1.example.cn",
                world.persons["student_a"].name,
            ):
                assert secret not in page, (address, secret)


# --- the pages' content ---------------------------------------------------------------------------------------


def test_home_shows_key_figures_featured_postings_and_enterprises(world, portal, client):
    response = client.get(url("portal_home", world.park), **EN)
    figures = response.context["figures"]
    assert figures.employers == 1  # E1 only: E2 is unvetted, the inactive and the other park's do not count
    assert figures.open_positions == 3 + 3  # the job's and the internship's openings (make_posting: 3 each)
    assert figures.order_seats == 40
    page = text(response)
    assert "Boiler operator" in page and "Laboratory intern" in page
    assert "Coal chemical order class" not in page  # order seats have their own page
    assert "Coal Chemical One" in page and url("portal_living", world.park) in page
    assert "¥6,000–9,000 a month" in page and "¥3,000–3,500 a month" in page


def test_index_lists_the_parks_when_there_are_several(world, client):
    page = text(client.get(reverse("portal_index"), **EN))
    assert reverse("portal_home", args=["p"]) in page and reverse("portal_home", args=["q"]) in page


def test_index_shows_the_home_of_the_only_park(db, client):
    park = Park.objects.create(code="solo", name="独园", name_en="Solo Park", region="某地")
    response = client.get(reverse("portal_index"), **EN)
    assert response.status_code == 200 and response.context["park"] == park
    assert f'<link rel="canonical" href="http://testserver{reverse("portal_home", args=["solo"])}">' in text(response)


def test_posting_page_shows_pay_shift_location_housing_and_the_enterprise(world, portal, client):
    job = portal["shown"]["job"]
    page = text(client.get(url("portal_job", world.park, job.pk), **EN))
    for fragment in (
        "¥6,000–9,000 a month",
        "Four teams, three shifts",
        "五彩湾园区",
        "Provided by the employer",
        "Coal Chemical One",
        "Four-person dormitory rooms",
        "班车20分钟",
        world.major.name_en,
    ):
        assert fragment in page, fragment


def test_sign_in_to_apply_leads_to_the_login_page_then_the_posting(world, portal, client):
    job = portal["shown"]["job"]
    try:
        target = reverse("posting_detail", args=[job.pk])
    except NoReverseMatch:
        target = reverse("home")
    expected = f"{reverse('login')}?{urlencode({'next': target})}"
    page = text(client.get(url("portal_job", world.park, job.pk), **EN))
    assert f'href="{expected}"' in page.replace("&amp;", "&")


def test_posting_page_carries_a_job_posting_json_ld_block(world, portal, client):
    job = portal["shown"]["job"]
    page = text(client.get(url("portal_job", world.park, job.pk), **EN))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "JobPosting" and data["title"] == "Boiler operator"
    assert data["hiringOrganization"]["name"] == "Coal Chemical One"
    assert data["baseSalary"]["currency"] == "CNY" and data["baseSalary"]["value"]["minValue"] == 6000
    assert data["validThrough"] == job.closes_on.isoformat() and data["employmentType"] == "FULL_TIME"


def test_json_ld_cannot_break_out_of_its_script_element(world, client):
    posting = make_posting(world, title_en="</script><script>alert(1)</script>")
    page = text(client.get(url("portal_job", world.park, posting.pk), **EN))
    assert "<script>alert(1)" not in page


def test_pages_carry_seo_basics(world, portal, client):
    page = text(client.get(url("portal_jobs", world.park), **EN))
    assert "<title>Open postings · Zhundong Park careers</title>" in page
    assert '<meta name="description" content="' in page
    assert '<meta property="og:title" content="Open postings">' in page
    assert '<meta property="og:locale" content="en_US">' in page
    assert f'<link rel="canonical" href="http://testserver{url("portal_jobs", world.park)}">' in page


def test_enterprise_page_shows_profile_texts_in_the_language_and_its_open_postings(world, portal, client):
    english = text(client.get(url("portal_enterprise", world.park, world.enterprise_1.pk), **EN))
    assert "Social insurance and housing fund" in english and "五险一金" not in english
    assert "Boiler operator" in english and "Coal chemical order class" in english and "Expired post" not in english
    assert "1200 employees" in english or "1,200 employees" in english
    chinese = text(client.get(url("portal_enterprise", world.park, world.enterprise_1.pk), **ZH))
    assert "五险一金" in chinese


def test_order_classes_page_explains_them_and_lists_only_order_seats(world, portal, client):
    page = text(client.get(url("portal_order_classes", world.park), **EN))
    assert "订单班" in page and "commits to hire" in page
    assert "Coal chemical order class" in page and "Boiler operator" not in page


# --- filters and search ------------------------------------------------------------------------------------------


def _titles(client, park, **params) -> set[str]:
    response = client.get(url("portal_jobs", park), params, **EN)
    assert response.status_code == 200
    return {p.title_en for p in response.context["postings"]}


def test_filters_narrow_the_open_postings(world, portal, client):
    every = {"Boiler operator", "Laboratory intern", "Coal chemical order class"}
    assert _titles(client, world.park) == every
    assert _titles(client, world.park, kind="internship") == {"Laboratory intern"}
    assert _titles(client, world.park, kind="order_seat") == {"Coal chemical order class"}
    assert _titles(client, world.park, shift=ShiftPattern.DAY) == {"Laboratory intern"}
    assert _titles(client, world.park, housing="on") == {"Boiler operator"}
    assert _titles(client, world.park, pay_from=5000) == {"Boiler operator"}
    assert _titles(client, world.park, pay_from=3500) == {"Boiler operator", "Laboratory intern"}
    assert _titles(client, world.park, q="lab") == {"Laboratory intern"}
    assert _titles(client, world.park, q="锅炉") == {"Boiler operator"}
    assert _titles(client, world.park, q="Coal Chemical One") == every


def test_major_filter_offers_only_majors_the_park_asks_for(world, portal, client):
    other = Major.objects.create(park=world.park, code="520303", name="矿山机电技术", name_en="Mine electromechanics")
    portal["shown"]["internship"].majors.set([other])
    response = client.get(url("portal_jobs", world.park), **EN)
    offered = set(response.context["filter_form"].fields["major"].queryset)
    assert offered == {world.major, other}
    assert world.other_major not in offered
    assert _titles(client, world.park, major=other.pk) == {"Laboratory intern"}
    # A major of another park is not a valid choice: the filter is ignored, not an error.
    assert len(_titles(client, world.park, major=world.other_major.pk)) == 3


def test_bad_filter_values_are_ignored(world, portal, client):
    assert len(_titles(client, world.park, pay_from="lots", kind="nonsense", page="x")) == 3


def test_jobs_are_paginated(world, client):
    for i in range(23):
        make_posting(world, title=f"岗位{i}", title_en=f"Post {i}")
    first = client.get(url("portal_jobs", world.park), **EN)
    second = client.get(url("portal_jobs", world.park), {"page": 2}, **EN)
    assert len(first.context["postings"]) == 20 and len(second.context["postings"]) == 3
    assert "23 open postings" in text(first)


# --- caching and HTTP --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_pages_are_publicly_cacheable_and_vary_by_language(world, portal, client, name):
    response = client.get(url(name, world.park))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=300"} <= cache_control
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


def test_only_reads_are_allowed(world, portal, client):
    assert client.head(url("portal_jobs", world.park)).status_code == 200
    assert client.post(url("portal_jobs", world.park)).status_code == 405


# --- query counts: fixed whatever the data -------------------------------------------------------------------------


def _queries(client, address: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address, params, **EN).status_code == 200
    return len(ctx.captured_queries)


def _more_data(world, n: int, start: int) -> None:
    for i in range(n):
        enterprise = _enterprise(world.park, f"企业{start + i}", start + i, name_en=f"Enterprise {start + i}")
        make_posting(world, enterprise, title=f"岗位{start + i}", title_en=f"Post {start + i}")
        make_posting(world, enterprise, title=f"订单班{start + i}", kind=PostingKind.ORDER_SEAT)
        LivingSection.objects.create(park=world.park, order=start + i, title=f"板块{start + i}", body="x")


def test_query_counts_do_not_grow_with_the_data(world, portal, client):
    job = portal["shown"]["job"]
    addresses = [
        (url("portal_home", world.park), {}),
        (url("portal_jobs", world.park), {}),
        (url("portal_jobs", world.park), {"major": world.major.pk, "q": "post", "housing": "on", "pay_from": 1000}),
        (url("portal_job", world.park, job.pk), {}),
        (url("portal_enterprises", world.park), {}),
        (url("portal_enterprise", world.park, world.enterprise_1.pk), {}),
        (url("portal_order_classes", world.park), {}),
        (url("portal_living", world.park), {}),
        (reverse("portal_index"), {}),
    ]
    _more_data(world, 2, 100)
    small = [_queries(client, address, **params) for address, params in addresses]
    _more_data(world, 30, 200)
    large = [_queries(client, address, **params) for address, params in addresses]
    assert small == large
    assert max(large) <= 8


def test_monograms_skip_the_zones_own_name():
    from iepark.careers.portal.views import monogram

    park = Park(name="准东产教融合园", name_en="Zhundong Park")
    assert monogram("准东瀚华煤化工有限公司", park) == "瀚"
    assert monogram("Zhundong Hanhua Coal Chemical Co., Ltd.", park) == "H"
    assert monogram("昊泽矿业（准东）有限公司", park) == "昊"
    assert monogram("准东", park) == "准"
    assert monogram("anlan environmental", park) == "A"


def test_an_absurd_id_is_404_not_an_error(world, client):
    huge = 10**30
    assert client.get(url("portal_job", world.park, huge)).status_code == 404
    assert client.get(url("portal_enterprise", world.park, huge)).status_code == 404
