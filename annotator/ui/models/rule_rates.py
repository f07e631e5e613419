"""How often this corpus's users accept each suggester rule, shown next to the rule in the
inspector and the annotation table's tooltip, so a reviewer weighs a rule the desk keeps
rejecting differently from one it trusts.

Loaded on first use and again after the window marks it stale (a suggestion run, another
document opened): one GROUP BY, never a query per span or per hover.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from annotator.services.desk_stats import RuleCounts


class RuleRates:
    def __init__(self, loader: Callable[[], Iterable[RuleCounts]] | None = None) -> None:
        self._loader = loader
        self._counts: dict[str, RuleCounts] | None = None

    def mark_stale(self) -> None:
        self._counts = None

    def counts(self, rule: str) -> RuleCounts | None:
        if self._counts is None:
            self._counts = {r.rule: r for r in (self._loader() if self._loader else ())}
        return self._counts.get(rule)

    def describe(self, rule: str | None) -> str:
        """ "accepted 34% of 120" once users decided on any of the rule's suggestions."""
        counts = self.counts(rule) if rule else None
        if counts is None or counts.acceptance_rate is None:
            return ""
        return f"accepted {counts.acceptance_rate:.0%} of {counts.decided}"
