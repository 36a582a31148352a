"""booklet: typeset illustrated right-to-left Arabic reports from YAML data.

The public API: ``Project`` says where the sources are, ``check`` validates
them, ``build`` writes the editions; every problem is a ``BookletError``.
"""

from booklet import libraries

with libraries.found_once():
    import weasyprint  # noqa: F401 - imported first, here, while its C libraries are found quickly

from booklet.typeset import kashida  # noqa: E402 - stops with a message if WeasyPrint is not the pinned version

kashida.install()

from booklet.editions import EDITIONS  # noqa: E402
from booklet.errors import BookletError, Problem  # noqa: E402 - after WeasyPrint, above
from booklet.pipeline import Built, build, check  # noqa: E402
from booklet.project import Project  # noqa: E402

__all__ = ["EDITIONS", "BookletError", "Built", "Problem", "Project", "build", "check"]
