"""Benchmark: CPU time spent scrubbing office1's evidence, and the whole audit's CPU time.

office1 is audited live once over the in-process lab; its evidence (what the collector
returned) is then scrubbed ``--repeat`` times with the scrubber(s) the code applies, once
per pass: the old code scrubbed at collection and again in the store (2 passes), the new
one scrubs once. Prints CPU milliseconds per pass and per audit. Not a test: it measures.

    python bench/bench_scrub.py [--repeat 200] [--passes 1|2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fleetaudit.audit import Options, audit_live
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir
from fleetaudit.sanitize import scrub

try:
    from fleetaudit.platforms.phones.family import PHONE_PLATFORMS
except ImportError:  # trees before the phone family moved into platforms/phones
    from fleetaudit.phones import PHONE_PLATFORMS  # type: ignore[no-redef]


def scrubber_for(platform: str) -> Callable[[str], str]:
    """The text scrubber the collector applies to one platform's outputs."""
    try:  # before issue 8: phones had a second scrubber of their own
        from fleetaudit.phones.collect import scrub_phone  # type: ignore[attr-defined]
    except ImportError:
        return scrub
    return scrub_phone if platform in PHONE_PLATFORMS else scrub  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--passes", type=int, default=1, help="scrubbing passes per audit")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True) as lab,
    ):
        inventory = lab.write_inventory(Path(tmp) / "inventory")
        cpu = time.process_time()
        _, collections = audit_live(inventory, "office1", None, Options())
        audit_cpu = time.process_time() - cpu
    texts = [
        (c.platform, text)
        for c in collections
        for e in c.evidence.values()
        for text in (e.output, e.error or "")
        if text
    ]
    size = sum(len(t) for _, t in texts)
    # pass 1 is the collector's (per platform); the old store's second pass used `scrub`
    passes = [[(scrubber_for(p), t) for p, t in texts]] + [[(scrub, t) for _, t in texts]] * (
        args.passes - 1
    )
    cpu = time.process_time()
    for _ in range(args.repeat):
        for one_pass in passes:
            for clean, text in one_pass:
                clean(text)
    per_audit = (time.process_time() - cpu) / args.repeat
    print(f"office1 evidence: {len(texts)} texts, {size / 1024:.1f} KiB")
    print(f"scrubbing, {args.passes} pass(es) per audit: {per_audit * 1000:.2f} ms CPU")
    print(f"one audit (collect+parse+check; the in-process lab too): {audit_cpu * 1000:.0f} ms CPU")


if __name__ == "__main__":
    main()
