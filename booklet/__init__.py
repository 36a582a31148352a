"""booklet: typeset illustrated right-to-left Arabic reports from YAML data.

The public API: ``Project`` says where the sources are, ``check`` validates
them, ``build`` writes the editions; every problem is a ``BookletError``.
"""

from .errors import BookletError, Problem
from .pipeline import Built, Project, build, check
from .typeset import EDITIONS

__all__ = ["EDITIONS", "BookletError", "Built", "Problem", "Project", "build", "check"]
