"""The English catalogue: Vietnamese is the source language (msgids are the Vietnamese UI text) and every
string marked in the pages has an English translation, compiled into the .mo that ships."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import congvu.web

WEB = Path(congvu.web.__file__).resolve().parent
PO = WEB / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def po_entries() -> dict[str, str]:
    """msgid → msgstr (first plural form) of a --no-wrap .po file; an entry with a context is keyed
    ``context\x04msgid``, as gettext stores it."""
    entries: dict[str, str] = {}
    msgid = context = None
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt "):
            context = line[9:-1]
        elif line.startswith("msgid "):
            msgid = line[7:-1].replace('\\"', '"')
            msgid, context = (f"{context}\x04{msgid}" if context else msgid), None
        elif msgid and line.startswith(("msgstr ", "msgstr[0] ")):
            entries[msgid] = line.split(" ", 1)[1][1:-1].replace('\\"', '"')
    return entries


def compiled_text(compiled: gettext.GNUTranslations, key: str) -> str:
    context, _, msgid = key.rpartition("\x04")
    return compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)


def test_every_vietnamese_string_has_an_english_translation() -> None:
    untranslated = [msgid for msgid, text in po_entries().items() if not text]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, text in po_entries().items()
             if "%(" not in msgid and compiled_text(compiled, msgid) != text]
    assert stale == [], "run: cd src/congvu/web && django-admin compilemessages"


def test_every_string_marked_in_the_templates_is_in_the_catalogue() -> None:
    marked = set()
    for template in (WEB / "templates").rglob("*.html"):
        marked |= set(re.findall(r'{% translate "([^"]+)"', template.read_text(encoding="utf-8")))
    missing = sorted(marked - set(po_entries()))
    assert missing == [], "run: cd src/congvu/web && django-admin makemessages -l en --no-wrap --no-location"


def test_no_entry_is_left_fuzzy_because_compilemessages_would_drop_it() -> None:
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_every_model_choice_label_shown_in_the_pages_has_an_english_translation() -> None:
    from congvu.access.models import Role
    from congvu.org.models import JobPosition, OrgUnit
    from congvu.personnel.models import Category, Discipline, EducationLevel, Leave, PoliticalTheoryLevel, Sex

    catalogue = po_entries()
    labels = {
        str(label)
        for choices in (Sex, Category, EducationLevel, PoliticalTheoryLevel, Discipline.Form, Leave.Kind,
                        OrgUnit.Kind, JobPosition.Group, Role)
        for _value, label in choices.choices
        if label != "—"
    }
    assert sorted(label for label in labels if not catalogue.get(label)) == []
