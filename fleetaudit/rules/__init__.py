"""Firewall rulesets, evaluated the way the device evaluates them.

``model`` holds the platform-neutral ruleset (stages of chains of first-match rules)
and the range evaluator; each platform's ``firewall_planner`` (in its package,
``fleetaudit/platforms/<name>/firewall.py``) compiles a device's facts into it for one
voice target (``plan``) and writes fixes in the device's own syntax; ``reach`` turns the provider profile into flows and the answers into findings.
"""

from fleetaudit.rules.intervals import IntervalSet
from fleetaudit.rules.model import Flow, Pipeline, Unsupported, Verdict, evaluate

__all__ = ["Flow", "IntervalSet", "Pipeline", "Unsupported", "Verdict", "evaluate"]
