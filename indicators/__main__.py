"""``python -m indicators``: the scoring engine and expert tools from the command line."""

from indicators.cli import main

raise SystemExit(main())
