"""JSON Schemas (draft 2020-12) of the documents fleetaudit writes: ``fleetaudit.report/1``
(``run``/``scan``/``history show`` with ``--format json``) and ``fleetaudit.drift/1``
(``drift --format json``). ``fleetaudit schema report|drift`` prints them; the tests
validate real outputs against them, so a field added to a document without its schema
fails there.

Version 1 only grows: new optional fields and sections may appear; a field is never removed
or retyped without a new schema id.
"""

from __future__ import annotations

from typing import Any, get_args

from fleetaudit.drift import SCHEMA as DRIFT_SCHEMA
from fleetaudit.model import REPORT_SCHEMA, SECTIONS, SEVERITIES, FindingStatus, HostStatus
from fleetaudit.report.readiness import FORMULA

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_STR = {"type": "string"}
_STR_OR_NULL = {"type": ["string", "null"]}
_SEVERITY = {"enum": list(SEVERITIES)}
_OBJECT = {"type": "object"}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
        "additionalProperties": False,
    }


def _list(item: Any) -> dict[str, Any]:
    return {"type": "array", "items": item}


_REF = _object({"source": _STR, "line": {"type": ["integer", "null"]}, "text": _STR})

_FINDING = _object(
    {
        "check": _STR,
        "slug": _STR,
        "severity": _SEVERITY,
        "status": {"enum": list(get_args(FindingStatus))},
        "host": _STR,
        "subject": _STR,
        "message": _STR,
        "why": _STR,
        "evidence": {"anyOf": [_REF, {"type": "null"}]},
        "evidence_more": _list(_REF),
        "remediation": _STR,
        "fingerprint": {"type": "string", "pattern": r"^[^|]+\|[^|]*\|"},
    },
    {
        "cause": {**_STR_OR_NULL, "description": "the root cause failing findings share"},
        "extent": {**_list(_STR), "description": "what the finding covers (ports, subjects)"},
    },
)

_HOST = _object(
    {
        "name": _STR,
        "platform": _STR,
        "site": _STR_OR_NULL,
        "role": _STR_OR_NULL,
        "status": {"enum": list(get_args(HostStatus))},
        "error": _STR_OR_NULL,
        "commands": {"type": "object", "additionalProperties": _STR},
    },
    {
        "facts": {"type": "object", "description": "--facts: fact name -> value (null: unknown)"},
        "facts_unknown": {"type": "object", "additionalProperties": _STR},
    },
)

_RUN = _object(
    {
        "id": _STR,
        "started": _STR,
        "site": _STR_OR_NULL,
        "tool_version": _STR,
        "duration_s": {"type": "number", "minimum": 0},
        "mode": {"enum": ["live", "offline"]},
        "policies": _list(_STR),
    },
    {"facts_version": {"type": "integer"}},
)

_SITE = _object(
    {
        "site": _STR,
        "hosts": {"type": "integer", "minimum": 0},
        "assessed": {"type": "integer", "minimum": 0},
        "failing": {"type": "object", "additionalProperties": {"type": "integer"}},
        "unknown": {"type": "integer", "minimum": 0},
        "passed": {"type": "integer", "minimum": 0},
        "waived": {"type": "integer", "minimum": 0},
        "readiness": {"type": "integer", "minimum": 0, "maximum": 100, "description": FORMULA},
    }
)

# a finding compared across two runs (drift) or a config and its candidate
_DELTA = _object(
    {
        "fingerprint": _STR,
        "check": _STR,
        "host": _STR,
        "subject": _STR,
        "severity": _SEVERITY,
        "status": _STR,
    },
    {
        "message": _STR,
        "evidence": {"anyOf": [_REF, {"type": "null"}]},
        "before_severity": _SEVERITY,
        "note": _STR,
    },
)

_WAIVER = {
    "type": "object",
    "required": ["check", "host", "expires", "reason"],
    "properties": {"check": _STR, "host": _STR, "expires": _STR, "reason": _STR},
}

_SECTIONS: dict[str, Any] = {
    "sip_trace": {**_OBJECT, "description": "sip-trace: the captures, calls, linked audit"},
    "candidate": _object(
        {
            "dir": _STR,
            "compared_with": _STR,
            "introduced": _list(_DELTA),
            "resolved": _list(_DELTA),
            "unchanged": _list(_DELTA),
            "not_assessed": _list(_DELTA),
        },
        {"worsened": _list(_DELTA)},
    ),
    "sources": {
        "type": "object",
        "description": "host -> command -> the file its evidence came from",
        "additionalProperties": {"type": "object", "additionalProperties": _STR},
    },
    "waivers": _object(
        {
            "applied": _list({**_WAIVER, "required": [*_WAIVER["required"], "fingerprint"]}),
            "expired": _list({**_WAIVER, "required": [*_WAIVER["required"], "findings"]}),
            "unused": _list(_WAIVER),
        }
    ),
    "baseline": _object({"run": _STR, "new": _list(_STR), "known": {"type": "integer"}}),
}
assert set(_SECTIONS) == set(SECTIONS), "every optional report section has a schema"

REPORT = {
    "$schema": DIALECT,
    "$id": f"urn:{REPORT_SCHEMA}",
    "title": "fleetaudit report",
    "description": "A run, scan or stored run: hosts, findings, readiness per site.",
    **_object(
        {
            "schema": {"const": REPORT_SCHEMA},
            "run": _RUN,
            "hosts": _list(_HOST),
            "findings": _list(_FINDING),
        },
        {"sites": _list(_SITE), **_SECTIONS},
    ),
}

_RUN_REF = _object({"id": _STR, "started": _STR})

DRIFT = {
    "$schema": DIALECT,
    "$id": f"urn:{DRIFT_SCHEMA}",
    "title": "fleetaudit drift",
    "description": "What changed at a site between two stored runs.",
    **_object(
        {
            "schema": {"const": DRIFT_SCHEMA},
            "site": _STR,
            "from": _RUN_REF,
            "to": _RUN_REF,
            "findings": _object(
                {
                    name: _list(_DELTA)
                    for name in (
                        "new",
                        "resolved",
                        "persisting",
                        "severity_changed",
                        "unassessed",
                    )
                }
            ),
            "hosts": _list(
                _object(
                    {
                        "host": _STR,
                        "change": {"enum": ["added", "removed", "status"]},
                        "before": _STR_OR_NULL,
                        "after": _STR_OR_NULL,
                    }
                )
            ),
            "facts": _list(
                _object(
                    {
                        "host": _STR,
                        "fact": _STR,
                        "changes": _list(
                            _object(
                                {
                                    "path": _STR,
                                    "kind": {"enum": ["added", "removed", "changed"]},
                                    "before": {},
                                    "after": {},
                                }
                            )
                        ),
                    }
                )
            ),
            "counters": _list(
                _object(
                    {
                        "host": _STR,
                        "section": _STR,
                        "name": _STR,
                        "direction": {"enum": ["in", "out", ""]},
                        "before": {"type": "integer"},
                        "after": {"type": "integer"},
                        "delta": {"type": "integer"},
                        "cleared": {"type": "boolean"},
                    }
                )
            ),
            "notes": _list(_STR),
        }
    ),
}

SCHEMAS: dict[str, dict[str, Any]] = {"report": REPORT, "drift": DRIFT}
