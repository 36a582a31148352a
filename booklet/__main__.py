"""Run the command line: ``python -m booklet``."""

from .cli import main

raise SystemExit(main())
