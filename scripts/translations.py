"""Build the Simplified-Chinese catalogue from per-area translation files.

`make messages` runs `manage.py makemessages` (which needs GNU gettext) and
then this script, which fills every msgstr from locale/translations/*.json
(one file per area of the site, so people working on different areas never
edit the same file) and writes both django.po and the compiled django.mo with
polib, so a fresh machine needs no gettext to show Chinese.

Usage: python scripts/translations.py [--check]
  --check  exit 1 when a message in the catalogue has no translation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
TRANSLATIONS = ROOT / "locale" / "translations"


def load_translations() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(TRANSLATIONS.glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def main(argv: list[str]) -> int:
    translations = load_translations()
    po = polib.pofile(str(CATALOGUE))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            singular = translations.get(entry.msgid)
            plural = translations.get(entry.msgid_plural, singular)
            if singular:
                entry.msgstr_plural = {0: plural or singular}
            else:
                missing.append(entry.msgid)
        elif entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
        else:
            missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(CATALOGUE.with_suffix(".mo")))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(po) - len(missing)} of {len(po)} messages translated")
    return 1 if missing and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
