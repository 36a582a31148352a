"""Run the command line: ``python -m booklet``."""

import gc
import os
import sys

from booklet.cli import TERMINATED, Terminated, main, stop_on_sigterm

# This process ends with os._exit below: the millions of objects a layout
# makes are dropped with it, never walked by the cyclic collector (booklet's
# build() switches it off only while it runs). The preview, which lives on,
# switches it back on after each rebuild's pages are out.
gc.disable()
stop_on_sigterm()
try:
    code = main()
except KeyboardInterrupt as stopped:  # between main()'s own handler and here: the same one line
    print(f"\nstopped ({'terminated' if isinstance(stopped, Terminated) else 'Ctrl-C'})", file=sys.stderr)
    code = TERMINATED if isinstance(stopped, Terminated) else 130
# Every file is written and closed by now: skip the interpreter's teardown,
# which takes a fifth of a second freeing what the process is about to drop.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
