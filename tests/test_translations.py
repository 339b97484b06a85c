"""Every text of the interface has a Dutch translation, and the compiled catalogue is current."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import samenspel.web

LOCALE = Path(samenspel.web.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


def _entries() -> list[dict[str, object]]:
    """The .po entries: msgid, msgid_plural, msgstr (or msgstr[n]) and flags."""
    entries = []
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, object] = {"flags": "", "msgstr": {}}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith("#"):
                continue
            elif m := re.match(r'^(msgid|msgid_plural|msgstr(?:\[(\d+)\])?) (".*")$', line):
                key = m.group(1)
                value = ast.literal_eval(m.group(3))
                if key.startswith("msgstr"):
                    entry["msgstr"][key] = value  # type: ignore[index]
                else:
                    entry[key] = value
            elif line.startswith('"') and key:
                value = ast.literal_eval(line)
                if key.startswith("msgstr"):
                    entry["msgstr"][key] += value  # type: ignore[index]
                else:
                    entry[key] = str(entry[key]) + value
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_every_text_is_translated_and_none_is_fuzzy() -> None:
    entries = _entries()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]  # type: ignore[attr-defined]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in str(e["flags"])]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_matches_the_source() -> None:
    with (LOCALE / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for e in _entries():
        msgstr: dict[str, str] = e["msgstr"]  # type: ignore[assignment]
        if "msgid_plural" in e:
            compiled = catalogue.ngettext(str(e["msgid"]), str(e["msgid_plural"]), 1)
            expected = msgstr["msgstr[0]"]
        else:
            compiled = catalogue.gettext(str(e["msgid"]))
            expected = msgstr["msgstr"]
        if compiled != expected:
            stale.append(e["msgid"])
    assert stale == [], "run `make messages` to compile the catalogue"
