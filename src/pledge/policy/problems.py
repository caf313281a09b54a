"""A policy problem: the key path where it is and what is wrong, in words for a shop owner."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class PolicyProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PolicyError(Exception):
    """The policy file cannot be used. Carries every problem found, not just the first."""

    def __init__(self, source: str, problems: list[PolicyProblem]):
        self.source = source
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{self.source}: {len(self.problems)} problem(s)"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)
