"""The governance pages as their users use them: the committee's flow, a college's objection, the public page."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iepark.governance import services
from iepark.governance.choices import ObjectionStatus, RunStatus
from iepark.governance.models import AssessmentRun, Objection, PolicyDocument, SubsidyRule

from .factories import D, make_programme, period_2025, standard_data

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _run(world):
    standard_data(world)
    version = make_programme(world)
    return services.assessment_start(actor=world.users["committee"], version=version, run_now=True, **period_2025())


def test_rule_editor_has_a_form_per_kind_and_refuses_contradictions(world, browser_client):
    version = make_programme(world, with_all_kinds=False)
    client = browser_client(world.users["committee"])
    for kind in ("retention", "certificate", "graduate_hire", "apprentice"):
        page = client.get(reverse("subsidyrule_create", args=[version.pk, kind]))
        assert page.status_code == 200, kind
    page = client.get(reverse("subsidyrule_create", args=[version.pk, "retention"]))
    assert b"p_order_class_amount" in page.content and b"p_amount_senior" not in page.content
    bad = client.post(
        reverse("subsidyrule_create", args=[version.pk, "retention"]),
        {
            "name": "留用",
            "payee": "college",
            "position": 1,
            "p_months": 6,
            "p_amount": "3000",
            "p_order_class_amount": "1000",
            "p_contract_types": ["fixed_term"],
        },
    )
    assert bad.status_code == 200 and "order_class_amount" in bad.content.decode()
    assert bad.context["form"].errors["p_order_class_amount"]  # the error sits on the parameter's field
    assert version.rules.count() == 1
    ok = client.post(
        reverse("subsidyrule_create", args=[version.pk, "graduate_hire"]),
        {
            "name": "扩岗",
            "payee": "employer",
            "position": 2,
            "p_amount": "1500",
            "p_min_insured_months": 3,
            "p_years_after_graduation": 0,
            "p_contract_types": ["fixed_term", "open_ended"],
        },
    )
    assert ok.status_code == 302
    rule = version.rules.get(kind="graduate_hire")
    assert rule.params["amount"] == "1500.00" and rule.params["contract_types"] == ["fixed_term", "open_ended"]
    assert client.get(reverse("subsidyrule_edit", args=[rule.pk])).status_code == 200
    # Others may read the rules but not edit them.
    college = browser_client(world.college_a_admin)
    assert college.get(reverse("programmeversion_detail", args=[version.pk])).status_code == 200
    assert college.get(reverse("subsidyrule_edit", args=[rule.pk])).status_code == 403
    assert college.post(reverse("subsidyrule_create", args=[version.pk, "retention"]), {}).status_code == 403


def test_committee_runs_reviews_approves_and_pays_in_the_browser(
    world, browser_client, django_capture_on_commit_callbacks
):
    standard_data(world)
    version = make_programme(world)
    client = browser_client(world.users["committee"])
    assert client.get(reverse("assessmentrun_create") + f"?version={version.pk}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessmentrun_create"),
            {"version": version.pk, "period_start": "2025-01-01", "period_end": "2025-12-31"},
        )
    assert response.status_code == 302
    run = AssessmentRun.objects.get()
    page = client.get(reverse("assessmentrun_detail", args=[run.pk])).content.decode()
    assert "8000.00" in page and "certificate" not in page.lower() or "No certificate data" in page
    assert "employment record" in page.lower() or "就业记录" in page
    for action in ("review", "approve"):
        assert client.post(reverse("assessmentrun_action", args=[run.pk, action])).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    client.post(reverse("assessmentrun_action", args=[run.pk, "verify"]))
    client.post(reverse("assessmentrun_action", args=[run.pk, "pay"]), {"payment_reference": "ZF-1"})
    run.refresh_from_db()
    assert run.status == RunStatus.PAID and run.payment_reference == "ZF-1"
    export = client.get(reverse("assessmentrun_export", args=[run.pk]))
    assert export.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    assert workbook.worksheets[1].max_row == 3  # header + two lines
    report = client.get(reverse("assessmentrun_payee_report", args=[run.pk, "org", world.college_a.pk]))
    assert report.status_code == 200 and b"@media print" in report.content


def test_college_sees_its_lines_objects_with_evidence_and_the_committee_corrects(world, browser_client):
    run = _run(world)
    line = run.lines.filter(payee_organisation=world.college_a).order_by("pk").first()
    college = browser_client(world.college_a_admin)
    listing = college.get(reverse("assessmentline_list"))
    assert listing.status_code == 200
    assert (
        college.get(reverse("assessmentrun_detail", args=[run.pk])).status_code == 404
    )  # the run's header is the committee's
    assert (
        browser_client(world.college_b_admin).get(reverse("assessmentline_detail", args=[line.pk])).status_code == 404
    )
    detail = college.get(reverse("assessmentline_detail", args=[line.pk]))
    assert detail.status_code == 200 and b"objection_create" not in detail.content
    evidence = SimpleUploadedFile("劳动合同.pdf", PDF, content_type="application/pdf")
    response = college.post(
        reverse("objection_create", args=[line.pk]),
        {"reason": "该生为订单班学生", "proposed_amount": "5000", "files": [evidence]},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    from iepark.core.attachments import attachments_of

    assert attachments_of(objection).count() == 1
    assert college.get(reverse("objection_detail", args=[objection.pk])).status_code == 200
    # College B cannot see it; college A cannot decide it.
    assert (
        browser_client(world.college_b_admin).get(reverse("objection_detail", args=[objection.pk])).status_code == 404
    )
    college.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"decision": "accept", "adjustment": "exclude", "response": "x"},
    )
    assert Objection.objects.get().status == ObjectionStatus.OPEN
    committee = browser_client(world.users["committee"])
    committee.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"decision": "accept", "adjustment": "set_amount", "adjusted_amount": "5000", "response": "核实为订单班"},
    )
    assert Objection.objects.get().status == ObjectionStatus.ACCEPTED
    response = committee.post(reverse("assessmentrun_action", args=[run.pk, "correct"]))
    correction = AssessmentRun.objects.exclude(pk=run.pk).get()
    assert response.status_code == 302
    # The thread runner is not used in tests: compute the correction here.
    services.assessment_compute(run=correction)
    diff = committee.get(reverse("assessmentrun_diff", args=[correction.pk]))
    assert diff.status_code == 200 and "5000.00" in diff.content.decode()


def test_public_policy_pages_need_no_login_and_hide_internal_documents(world, client):
    public = services.policy_document_create(
        actor=world.users["committee"],
        park=world.park,
        title="产教融合补贴办法",
        issuing_body="准东管委会",
        effective_from=D(2026, 1, 1),
        visibility="public",
        files=[SimpleUploadedFile("办法.pdf", PDF, content_type="application/pdf")],
    )
    internal = PolicyDocument.objects.create(
        park=world.park, title="内部通知", issuing_body="管委会", effective_from=D(2026, 1, 1)
    )
    listing = client.get(reverse("policy_public_list", args=[world.park.code]))
    assert listing.status_code == 200 and "max-age=300" in listing["Cache-Control"]
    assert "产教融合补贴办法" in listing.content.decode() and "内部通知" not in listing.content.decode()
    # The careers portal's pages lead to the policies too.
    portal = client.get(reverse("portal_jobs", args=[world.park.code])).content.decode()
    assert reverse("policy_public_list", args=[world.park.code]) in portal
    assert client.get(reverse("policy_public_detail", args=[world.park.code, public.pk])).status_code == 200
    assert client.get(reverse("policy_public_detail", args=[world.park.code, internal.pk])).status_code == 404
    file = public_file = __import__("iepark.core.attachments", fromlist=["attachments_of"]).attachments_of(public).get()
    response = client.get(reverse("policy_public_file", args=[world.park.code, public.pk, file.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert public_file.pk == file.pk
    # Posting is not a public page's business.
    assert client.post(reverse("policy_public_list", args=[world.park.code])).status_code == 405


def test_policy_document_pages_for_the_committee(world, browser_client):
    client = browser_client(world.users["committee"])
    assert client.get(reverse("policydocument_create")).status_code == 200
    response = client.post(
        reverse("policydocument_create"),
        {
            "park": world.park.pk,
            "title": "通知",
            "issuing_body": "管委会",
            "effective_from": "2026-01-01",
            "visibility": "internal",
            "files": [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = PolicyDocument.objects.get()
    assert client.get(reverse("policydocument_detail", args=[document.pk])).status_code == 200
    bad = client.post(
        reverse("policydocument_create"),
        {
            "park": world.park.pk,
            "title": "坏",
            "issuing_body": "管委会",
            "effective_from": "2026-01-01",
            "visibility": "internal",
            "files": [SimpleUploadedFile("b.pdf", b"not a pdf", content_type="application/pdf")],
        },
    )
    assert bad.status_code == 200 and PolicyDocument.objects.count() == 1


def test_programme_and_version_pages(world, browser_client):
    version = make_programme(world)
    client = browser_client(world.users["committee"])
    for url in (
        reverse("subsidyprogramme_detail", args=[version.programme_id]),
        reverse("programmeversion_detail", args=[version.pk]),
        reverse("programmeversion_create") + f"?programme={version.programme_id}&copy_from={version.pk}",
        reverse("subsidyrule_detail", args=[SubsidyRule.objects.first().pk]),
        reverse("subsidyprogramme_list"),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("programmeversion_detail", args=[version.pk])).content.decode()
    assert "examples" in page or "示例" in page


def test_demo_part_builds_policies_programme_and_runs_once(world):
    from iepark.governance import demo
    from iepark.governance.models import SubsidyProgramme

    standard_data(world)
    superuser = (
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.create_superuser("root", password="x")
    )
    demo.build(world.park, actor=superuser, seed=1)
    assert PolicyDocument.objects.filter(park=world.park).count() == 3
    assert PolicyDocument.objects.filter(park=world.park, visibility="public").count() == 2
    programme = SubsidyProgramme.objects.get(park=world.park)
    assert programme.amounts_are_examples
    assert sorted(programme.versions.get().rules.values_list("kind", flat=True)) == sorted(
        ["retention", "certificate", "graduate_hire", "apprentice"]
    )
    runs = list(AssessmentRun.objects.filter(park=world.park).order_by("pk"))
    assert [r.status for r in runs] == [RunStatus.APPROVED, RunStatus.DRAFT]
    demo.build(world.park, actor=superuser, seed=1)  # once per park
    assert AssessmentRun.objects.filter(park=world.park).count() == 2


def test_payee_statement_is_the_payees_and_the_committees(world, browser_client):
    run = _run(world)
    url = reverse("assessmentrun_payee_report", args=[run.pk, "org", world.college_a.pk])
    assert browser_client(world.college_a_admin).get(url).status_code == 200
    for persona in ("college_b_admin", "hr_e1", "student_a", "other_admin"):
        assert browser_client(world.users[persona]).get(url).status_code == 404, persona
    assert browser_client(world.college_a_admin).get(reverse("assessmentrun_export", args=[run.pk])).status_code == 404
    for action in ("review", "approve", "verify", "correct", "pay"):
        response = browser_client(world.college_a_admin).post(reverse("assessmentrun_action", args=[run.pk, action]))
        assert response.status_code == 404, action
    assert AssessmentRun.objects.get(pk=run.pk).status == RunStatus.DRAFT
