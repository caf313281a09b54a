"""Read a policy file into a ``Policy``, or fail with every problem named by its key path."""

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .consistency import policy_problems
from .problems import PolicyError, PolicyProblem
from .schema import Policy

_MESSAGES = {
    "missing": "this key is required but missing",
    "extra_forbidden": "unknown key (check the spelling)",
}
_LANGUAGES = {"nl": "Dutch (nl)", "en": "English (en)"}


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        problem = PolicyProblem("", f"cannot read the file: {error.strerror}")
        raise PolicyError(str(path), [problem]) from None
    return parse_policy(text, source=str(path))


def parse_policy(text: str, *, source: str = "<policy>") -> Policy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(source, [PolicyProblem("", f"not valid TOML: {error}")]) from None
    return validate_policy(raw, source=source)


def validate_policy(raw: dict[str, Any], *, source: str = "<policy>") -> Policy:
    """Validate already-parsed policy data (TOML tables as dicts)."""
    try:
        policy = Policy.model_validate(raw)
    except ValidationError as error:
        problems = [_problem_from(detail, raw) for detail in error.errors()]
        raise PolicyError(source, problems) from None
    problems = policy_problems(policy)
    if problems:
        raise PolicyError(source, problems)
    return policy


def _problem_from(detail: dict[str, Any], raw: dict[str, Any]) -> PolicyProblem:
    location = detail["loc"]
    last = location[-1] if location else ""
    if detail["type"] == "missing" and last in _LANGUAGES:
        message = f"the {_LANGUAGES[last]} text is missing"
    else:
        message = _MESSAGES.get(detail["type"], detail["msg"])
    return PolicyProblem(_key_path(location, raw), message)


def _key_path(location: tuple, raw: Any) -> str:
    """``purposes[2](newsletter).retention``: the index, and the item's id where it has one."""
    parts: list[str] = []
    node = raw
    for key in location:
        if isinstance(key, int):
            parts.append(f"[{key}]")
            node = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parts.append(f"({node['id']})")
        else:
            # pydantic names union branches (e.g. "function-after[...]"); they are not keys.
            if "[" in str(key):
                continue
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)
