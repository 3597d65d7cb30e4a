"""The ``fleetaudit`` command's entry point: ``--version`` answered before the CLI (and
with it netmiko, paramiko, pydantic…) is imported; everything else goes to ``cli.main``."""

from __future__ import annotations

import sys


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from fleetaudit import __version__

        print(f"fleetaudit {__version__}")
        return 0
    from fleetaudit.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
