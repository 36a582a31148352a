"""Run the command line: ``python -m booklet``."""

import os
import sys

from .cli import main

code = main()
# Every file is written and closed by now: skip the interpreter's teardown,
# which takes a fifth of a second freeing what the process is about to drop.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
