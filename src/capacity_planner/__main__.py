"""`python -m capacity_planner` is the same as the `capacity-planner` command."""

from __future__ import annotations

import sys

from capacity_planner.cli import main

if __name__ == "__main__":
    sys.exit(main())
