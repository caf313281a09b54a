"""The 2018 statement's promises, each tracked to the tests that prove Pledge keeps it.

``<policy>-promises.toml`` quotes every promise of the shop's original statement verbatim and
says whether Pledge keeps it (with the tests that prove it), will keep it in a named later
feature, or replaces it with something lawful and concrete. A promise is never dropped silently:
the quote stays in the file and ``pledge promises`` shows what became of it.

Test ids are checked by reading the test files with ``ast``: listing a test is a claim, and a
claim that points at nothing must fail the build, without importing (and so running) test code.
"""

import ast
import re
import tomllib
from collections import Counter
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Self

from django.conf import settings
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from .problems import PolicyError, PolicyProblem

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PromiseId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
# A pytest node id below src/pledge: a file, then a function or Class::method.
TestId = Annotated[
    str,
    StringConstraints(pattern=r"^src/pledge/([a-z_][a-z0-9_]*/)+test_\w+\.py(::\w+)+$"),
]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PromiseStatus(StrEnum):
    KEPT = "kept"  # tests prove Pledge keeps it
    PENDING = "pending"  # a named later feature will keep it
    REPLACED = "replaced"  # unlawful or vague: Pledge does something concrete instead


class Feature(StrEnum):
    """The later work that will keep a pending promise."""

    STATEMENT_PAGES = "statement-pages"
    VAULT_AUDIT = "vault-audit"
    ACCOUNTS = "accounts"
    SHOP_PARTNERS = "shop-partners"
    COOKIE_CONSENT = "cookie-consent"
    NEWSLETTER = "newsletter"
    CONTACT_FORM = "contact-form"
    SUBJECT_RIGHTS = "subject-rights"
    RETENTION_SWEEPS = "retention-sweeps"

    @property
    def label(self) -> str:
        return _FEATURE_LABELS[self]


_FEATURE_LABELS = {
    Feature.STATEMENT_PAGES: "privacy and cookie statement pages",
    Feature.VAULT_AUDIT: "vault & audit log",
    Feature.ACCOUNTS: "accounts, back-office & mail outbox",
    Feature.SHOP_PARTNERS: "shop & partners",
    Feature.COOKIE_CONSENT: "cookie consent, cookieless analytics, two-click social buttons",
    Feature.NEWSLETTER: "newsletter",
    Feature.CONTACT_FORM: "contact form",
    Feature.SUBJECT_RIGHTS: "data-subject rights self-service",
    Feature.RETENTION_SWEEPS: "retention sweeps",
}


class Promise(Frozen):
    id: PromiseId
    quote: Text
    section: Text
    status: PromiseStatus
    # Kept: the proof. Pending or replaced: what is proven so far (may be empty).
    tests: tuple[TestId, ...] = ()
    feature: Feature | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _status_is_explained(self) -> Self:
        # "kept" without tests is reported by promise_problems, so the table can still show it.
        if self.status is PromiseStatus.PENDING and self.feature is None:
            raise ValueError("a pending promise names the feature that will keep it")
        if self.status is PromiseStatus.REPLACED:
            if self.note is None:
                raise ValueError("a replaced promise needs a note saying what replaces it")
            if not self.tests and self.feature is None:
                raise ValueError("a replaced promise lists tests or the feature that proves it")
        if self.status is PromiseStatus.KEPT and self.feature is not None:
            raise ValueError("a kept promise waits for no feature; remove `feature`")
        return self


class PromiseBook(Frozen):
    # The statement the quotes come from, relative to the promises file.
    seed: Text
    promises: tuple[Promise, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Self:
        doubles = [i for i, n in Counter(p.id for p in self.promises).items() if n > 1]
        if doubles:
            raise ValueError(f"promise ids used more than once: {', '.join(sorted(doubles))}")
        return self

    def by_status(self) -> dict[PromiseStatus, int]:
        counts = Counter(p.status for p in self.promises)
        return {status: counts[status] for status in PromiseStatus}


def default_promises_path() -> Path:
    policy = Path(settings.PLEDGE_POLICY)
    return policy.with_name(f"{policy.stem}-promises.toml")


def load_promises(path: str | Path | None = None) -> PromiseBook:
    path = Path(path) if path is not None else default_promises_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PolicyError(
            str(path), [PolicyProblem("", f"cannot read: {error.strerror}")]
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(str(path), [PolicyProblem("", f"not valid TOML: {error}")]) from None
    try:
        return PromiseBook.model_validate(raw)
    except ValidationError as error:
        problems = [_problem_from(detail, raw) for detail in error.errors()]
        raise PolicyError(str(path), problems) from None


def _problem_from(detail, raw) -> PolicyProblem:
    parts: list[str] = []
    node = raw
    for key in detail["loc"]:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
            label = node.get("id") if isinstance(node, dict) else None
            parts.append(f"[{key}]" + (f"({label})" if isinstance(label, str) else ""))
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    message = detail["msg"].removeprefix("Value error, ")
    return PolicyProblem("".join(parts), message)


def seed_path(book: PromiseBook, promises_path: str | Path | None = None) -> Path:
    base = Path(promises_path) if promises_path is not None else default_promises_path()
    return base.with_name(book.seed)


def normalise(text: str) -> str:
    """Whitespace-insensitive form: the seed wraps and indents lines freely."""
    return re.sub(r"\s+", " ", text).strip()


def repo_root() -> Path:
    return Path(settings.PROJECT_DIR)


def promise_problems(
    book: PromiseBook,
    *,
    root: str | Path | None = None,
    seed_text: str | None = None,
) -> list[str]:
    """Everything that makes the promise table untrue, as plain messages (empty: all good).

    A kept promise without tests, a listed test that does not exist, and (when ``seed_text``
    is given) a quote that is not in the seed word for word.
    """
    root = Path(root) if root is not None else repo_root()
    problems: list[str] = []
    seed = normalise(seed_text) if seed_text is not None else None
    for promise in book.promises:
        if promise.status is PromiseStatus.KEPT and not promise.tests:
            problems.append(f"{promise.id}: kept, but no test proves it")
        if seed is not None and normalise(promise.quote) not in seed:
            problems.append(f"{promise.id}: the quote is not in the seed word for word")
        for test_id in promise.tests:
            missing = node_id_problem(test_id, root=root)
            if missing:
                problems.append(f"{promise.id}: {test_id}: {missing}")
    return problems


def node_id_problem(test_id: str, *, root: str | Path) -> str | None:
    """Why ``test_id`` does not name a test under ``root``, or None when it does."""
    file_part, *names = test_id.split("::")
    path = Path(root) / file_part
    if not names:
        return "names a file, not a test"
    if not path.is_file():
        return "the test file does not exist"
    try:
        tree = _parsed(path, path.stat().st_mtime_ns)
    except SyntaxError as error:
        return f"the test file does not parse (line {error.lineno})"
    body: list[ast.stmt] = tree.body
    for depth, name in enumerate(names):
        last = depth == len(names) - 1
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef) if last else (ast.ClassDef,)
        found = next((n for n in body if isinstance(n, kinds) and n.name == name), None)
        if found is None:
            where = "::".join(names[:depth]) or "the module"
            what = "test function" if last else "test class"
            return f"no {what} {name!r} in {where}"
        body = getattr(found, "body", [])
    return None


@cache
def _parsed(path: Path, mtime_ns: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
