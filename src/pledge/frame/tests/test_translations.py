"""Every Dutch catalogue of the project: no translation says its text twice.

A msgstr written on one line and then again as continuation lines is valid PO, and gettext
joins the two: the page then shows every sentence twice (it happened to the cookie banner).
"""

import ast
from pathlib import Path

import pledge

ROOT = Path(pledge.__file__).parent


def _translations(path: Path) -> list[tuple[int, str]]:
    """(line, msgstr) of every entry, with continuation lines joined as gettext joins them."""
    found, current, start = [], None, 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("msgstr"):
            current, start = [ast.literal_eval(line.split(" ", 1)[1])], number
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            if current is not None:
                found.append((start, "".join(current)))
            current = None
    if current is not None:
        found.append((start, "".join(current)))
    return found


def test_no_translation_repeats_itself():
    catalogues = sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po"))
    assert catalogues, "no catalogues found"
    doubled = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in catalogues
        for line, text in _translations(path)
        if len(text) > 1 and len(text) % 2 == 0 and text[: len(text) // 2] == text[len(text) // 2 :]
    ]
    assert doubled == []


def test_the_cookie_banner_says_each_sentence_once(client):
    page = client.get("/").content.decode()
    assert page.count("gebruikt functionele cookies die de website nodig heeft") == 1
    assert page.count("U kunt uw keuze altijd wijzigen") == 1
