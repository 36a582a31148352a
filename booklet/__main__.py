"""Run the command line: ``python -m booklet``."""

import gc
import os
import sys

from .cli import main

# This process ends with os._exit below: the millions of objects a layout
# makes are dropped with it, never walked by the cyclic collector (booklet's
# build() switches it off only while it runs). The preview, which lives on,
# switches it back on after each rebuild's pages are out.
gc.disable()
try:
    code = main()
except KeyboardInterrupt:  # between main()'s own handler and here: the same one line
    print("\nstopped (Ctrl-C)", file=sys.stderr)
    code = 130
# Every file is written and closed by now: skip the interpreter's teardown,
# which takes a fifth of a second freeing what the process is about to drop.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
