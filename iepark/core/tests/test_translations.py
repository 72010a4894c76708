"""Tests of the translations: the Chinese catalogue is complete and compiled, and pages follow the language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from iepark.core.choices import OrganisationKind, Role, StudentStatus
from iepark.core.models import Organisation, Person, Student

LOCALE_DIR = Path(settings.BASE_DIR) / "iepark" / "locale"
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

# Placeholders and HTML tags that a translation must keep unchanged.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?\w+[^>]*>")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


# --- a small .po parser ------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # msgstr is index 0
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Return the entries of a .po file (header included; obsolete '#~' entries flagged)."""
    entries: list[Entry] = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8").strip()):
        entry, target = Entry(), None
        for raw in block.splitlines():
            line = raw
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].strip()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                value = _unquote(line)
            else:
                keyword, _, rest = line.partition(" ")
                value = _unquote(rest)
                match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                target = ("msgstr", int(match.group(1))) if match else (keyword, 0)
                if target[0] == "msgstr":
                    entry.msgstr[target[1]] = ""
                elif target[0] in ("msgid", "msgid_plural", "msgctxt"):
                    setattr(entry, target[0], "")
                else:
                    raise AssertionError(f"{path}: unexpected line {raw!r}")
            if target is None:
                raise AssertionError(f"{path}: continuation line without a keyword: {raw!r}")
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + value)
        entries.append(entry)
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next(e for e in entries if e.is_header)
    return dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.is_header and not e.obsolete]


@pytest.fixture(scope="module")
def zh_entries() -> list[Entry]:
    return parse_po(ZH_PO)


# --- (a) the Chinese catalogue is complete ------------------------------------------


def test_zh_header_is_valid(zh_entries):
    header = next(e for e in zh_entries if e.is_header)
    fields = header_fields(zh_entries)
    assert "fuzzy" not in header.flags
    assert fields["Language"] == "zh_Hans"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"


def test_every_zh_entry_is_translated_and_not_fuzzy(zh_entries):
    entries = messages(zh_entries)
    assert len(entries) > 300
    empty = [e.msgid for e in entries if not e.msgstr or any(not s.strip() for s in e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    problems = [f"untranslated: {msgid!r}" for msgid in empty] + [f"fuzzy: {msgid!r}" for msgid in fuzzy]
    assert not problems, "zh_Hans/django.po needs work:\n" + "\n".join(problems)


def test_zh_plural_entries_have_exactly_one_form(zh_entries):
    wrong = [e.msgid for e in messages(zh_entries) if e.msgid_plural is not None and set(e.msgstr) != {0}]
    assert not wrong, "Plural entries need msgstr[0] only (nplurals=1):\n" + "\n".join(wrong)


def test_zh_translations_keep_placeholders_tags_and_edge_whitespace(zh_entries):
    wrong = []
    for entry in messages(zh_entries):
        for text in entry.msgstr.values():
            same_placeholders = sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(text))
            same_edges = (entry.msgid[:1].isspace(), entry.msgid[-1:].isspace()) == (
                text[:1].isspace(),
                text[-1:].isspace(),
            )
            if not (same_placeholders and same_edges):
                wrong.append(f"{entry.msgid!r} -> {text!r}")
    assert not wrong, "Translations that change placeholders, tags or edge whitespace:\n" + "\n".join(wrong)


def test_en_catalogue_has_a_valid_header_and_no_fuzzy_entries():
    entries = parse_po(EN_PO)
    header = next(e for e in entries if e.is_header)
    fields = header_fields(entries)
    assert "fuzzy" not in header.flags
    assert fields["Language"] == "en"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    fuzzy = [e.msgid for e in messages(entries) if "fuzzy" in e.flags]
    assert not fuzzy, "Fuzzy msgids in en/django.po:\n" + "\n".join(fuzzy)


# --- (b) the compiled catalogue is current -----------------------------------------


def test_compiled_zh_catalogue_matches_the_po_file(zh_entries):
    """Every translation of the .po is what gettext returns: the .mo was compiled after the last edit."""
    stale = []
    with translation.override("zh-hans"):
        for entry in messages(zh_entries):
            if entry.msgid_plural is not None:
                got = (
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                    if entry.msgctxt is not None
                    else translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                )
            elif entry.msgctxt is not None:
                got = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                got = translation.gettext(entry.msgid)
            if got != entry.msgstr.get(0):
                stale.append(f"{entry.msgid!r}: compiled {got!r}, .po {entry.msgstr.get(0)!r}")
    assert not stale, "Run `django-admin compilemessages` in iepark/; stale or missing in django.mo:\n" + "\n".join(
        stale
    )


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Park administrator", "园区管理员"),
        ("Management committee", "管委会"),
        ("Modern industrial college", "现代产业学院"),
        ("Cooperative college", "合作院校"),
        ("Operating company", "运营公司"),
        ("Enterprise mentor", "企业导师"),
        ("unified social credit code", "统一社会信用代码"),
        ("national ID number", "身份证号"),
        ("cohort year", "入学年份"),
        ("audit event", "审计记录"),
        ("background job", "后台任务"),
        ("dry run", "预检"),
    ],
)
def test_key_terms_in_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_lazy_labels_render_in_the_active_language():
    with translation.override("zh-hans"):
        assert str(Organisation._meta.verbose_name) == "单位"
        assert str(Student._meta.verbose_name_plural) == "学生"
        assert str(Person._meta.get_field("national_id").verbose_name) == "身份证号"
        assert str(Role.PARK_ADMIN.label) == "园区管理员"
        assert str(OrganisationKind.COOPERATIVE_COLLEGE.label) == "合作院校"
        assert str(StudentStatus.ON_INTERNSHIP.label) == "实习中"
        assert translation.ngettext("%(count)s row imported.", "%(count)s rows imported.", 3) % {"count": 3} == (
            "已导入 3 行。"
        )
    with translation.override("en"):
        assert str(Organisation._meta.verbose_name) == "organisation"
        assert str(Role.PARK_ADMIN.label) == "Park administrator"
        assert translation.ngettext("%(count)s row imported.", "%(count)s rows imported.", 3) % {"count": 3} == (
            "3 rows imported."
        )


# --- (c) pages follow the visitor's language ------------------------------------------

HOME_LABELS = {
    "zh-hans": ["工作台", "园区管理员", "欢迎您", "退出登录", "审计日志"],
    "en": ["Dashboard", "Park administrator", "Welcome", "Log out", "Audit log"],
}
STUDENT_LIST_LABELS = {
    "zh-hans": ["学号", "所属院校", "入学年份", "在读", "筛选"],
    "en": ["Student number", "Home college", "Cohort year", "Enrolled", "Filter"],
}


def _page(client, url_name: str, **kwargs) -> tuple[str, str]:
    response = client.get(reverse(url_name), **kwargs)
    assert response.status_code == 200
    return response.content.decode(), response.headers["Content-Language"]


def _assert_labels(body: str, expected: list[str], unexpected: list[str], where: str) -> None:
    missing = [label for label in expected if label not in body]
    present = [label for label in unexpected if label in body]
    assert not missing, f"{where}: missing labels {missing}"
    assert not present, f"{where}: labels of the other language {present}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_follow_accept_language(world, browser_client, language):
    other = "en" if language == "zh-hans" else "zh-hans"
    client = browser_client(world.park_admin)
    for url_name, labels in (("home", HOME_LABELS), ("student_list", STUDENT_LIST_LABELS)):
        body, content_language = _page(client, url_name, headers={"accept-language": language})
        assert content_language == language
        _assert_labels(body, labels[language], labels[other], f"{url_name} with Accept-Language {language}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_follow_the_language_cookie(world, browser_client, language):
    other = "en" if language == "zh-hans" else "zh-hans"
    client = browser_client(world.park_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url_name, labels in (("home", HOME_LABELS), ("student_list", STUDENT_LIST_LABELS)):
        # The cookie wins over the browser's Accept-Language.
        body, content_language = _page(client, url_name, headers={"accept-language": other})
        assert content_language == language
        _assert_labels(body, labels[language], labels[other], f"{url_name} with cookie {language}")


def test_language_switch_view_changes_the_pages(world, browser_client):
    client = browser_client(world.park_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert Person.objects.get(user=world.park_admin).language == "en"
    body, _ = _page(client, "student_list", headers={"accept-language": "zh-hans"})
    _assert_labels(body, STUDENT_LIST_LABELS["en"], STUDENT_LIST_LABELS["zh-hans"], "after switching to en")
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    body, _ = _page(client, "home", headers={"accept-language": "en"})
    _assert_labels(body, HOME_LABELS["zh-hans"], HOME_LABELS["en"], "after switching to zh-hans")


def test_person_language_is_used_in_a_new_session(world, browser_client):
    Person.objects.filter(user=world.park_admin).update(language="en")
    client = browser_client(world.park_admin)
    body, content_language = _page(client, "home", headers={"accept-language": "zh-hans"})
    assert content_language == "en"
    _assert_labels(body, HOME_LABELS["en"], HOME_LABELS["zh-hans"], "person prefers en")
