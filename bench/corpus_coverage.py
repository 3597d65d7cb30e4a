"""Field accuracy on public real outputs (tests/corpus), per command.

For every command with corpus cases, prints the number of cases, the shared fields the
public source expects a value for, how many the parser got right, and the percentage.
The mapping of ntc-templates field names to fleetaudit fact fields, and what counts as a
shared field, is written once in tests/corpus_fields.py.

    python bench/corpus_coverage.py                 # fleetaudit's own parse path (scan's)
    python bench/corpus_coverage.py --parser napalm # napalm's IOS getters, where one exists
    python bench/corpus_coverage.py --parser ntc    # ntc-templates via TextFSM (if installed)
    python bench/corpus_coverage.py --misses        # also list every field missed

Not a test: it measures and prints. tests/test_corpus.py holds the floor.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus_fields import Score, cases, score_case  # noqa: E402
from corpus_parsers import PARSERS  # noqa: E402


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--parser", choices=sorted(PARSERS), default="fleetaudit")
    options.add_argument("--misses", action="store_true", help="list every field missed")
    args = options.parse_args()
    parser, commands = PARSERS[args.parser]()
    totals: dict[str, Score] = defaultdict(Score)
    counts: dict[str, int] = defaultdict(int)
    for case in cases():
        command = f"{case.parent.parent.name}/{case.parent.name}"
        if commands is not None and command not in commands:
            continue
        result = score_case(case, parser)
        totals[command].add(result)
        counts[command] += 1
        if args.misses:
            for miss in result.misses:
                print(f"  {case.parent.name}/{case.stem}: {miss}")
    print(f"parser: {args.parser}")
    print(f"{'command':48} {'cases':>5} {'fields':>6} {'matched':>7} {'percent':>7}")
    for command in sorted(totals):
        total = totals[command]
        percent = 100.0 * total.matched / total.expected if total.expected else 100.0
        print(
            f"{command:48} {counts[command]:5} {total.expected:6} {total.matched:7} {percent:6.1f}%"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
