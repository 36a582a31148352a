"""Render the booklet's HTML from the layouts with one Jinja2 environment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from booklet.data import direction
from booklet.design import contract, layouts_sandbox
from booklet.errors import BookletError, Place, Problem


def environment(layouts: Path) -> jinja2.Environment:
    """The one Jinja environment: strict about undefined names, escaping everything.

    Layouts decide what is printed, never what is read or run: the sandbox
    (layouts_sandbox.py) refuses Python's internals, and templates are read
    with the same checks as every other file of layouts/.
    """
    return layouts_sandbox.Sandbox(
        loader=layouts_sandbox.CheckedLoader(layouts),
        undefined=jinja2.StrictUndefined,
        # select_autoescape() would not escape *.j2 or *.svg names: escape all.
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def render(env: jinja2.Environment, context: dict[str, Any], layouts_shown: str) -> str:
    """Merge the context into base.html; template problems name their file and line."""
    try:
        # Telephone numbers, addresses and Latin words keep their own direction in Arabic text.
        return direction.isolate(env.get_template(contract.BASE_TEMPLATE).render(context))
    except jinja2.TemplateSyntaxError as error:
        name = error.filename or error.name or contract.BASE_TEMPLATE
        raise BookletError(
            [Problem(Place(_shown(name, layouts_shown), error.lineno, 1), f"template syntax: {error.message}")]
        ) from None
    except jinja2.TemplateNotFound as error:
        filename, line = _template_frame(error)
        place = Place(_shown(filename, layouts_shown), line, 1) if line else Place(layouts_shown)
        raise BookletError([Problem(place, f"no template {error.name!r} in layouts/")]) from None
    except jinja2.UndefinedError as error:
        filename, line = _template_frame(error)
        message = error.message or "undefined value"
        if match := re.search(r"has no attribute '([^']+)'", message):
            message = f"no field or variable {match[1]!r} here"
        raise BookletError(
            [
                Problem(
                    Place(_shown(filename, layouts_shown), line, 1),
                    f"{message}; the variables templates receive are listed in README.md",
                )
            ]
        ) from None
    except BookletError:
        raise  # a template file refused by the loader, already named
    except RecursionError as error:
        filename, line = layouts_sandbox.repeated_frame(error)
        raise BookletError(
            [Problem(Place(_shown(filename, layouts_shown), line, 1), layouts_sandbox.RECURSION)]
        ) from None
    except jinja2.sandbox.SecurityError as error:
        filename, line = _template_frame(error)
        raise BookletError(
            [Problem(Place(_shown(filename, layouts_shown), line, 1), layouts_sandbox.refusal(error))]
        ) from None
    except Exception as error:  # a template doing something its values do not allow
        filename, line = _template_frame(error)
        raise BookletError(
            [Problem(Place(_shown(filename, layouts_shown), line, 1), f"template error: {error}")]
        ) from None


def _shown(filename: str, layouts_shown: str) -> str:
    path = Path(filename)
    return f"{layouts_shown}/{path.name}" if not path.is_absolute() else _relative(path, layouts_shown)


def _relative(path: Path, layouts_shown: str) -> str:
    parts = path.parts
    # Show the path from the layouts folder on: layouts/sections/chapter.html.
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] == Path(layouts_shown).name:
            return "/".join((layouts_shown, *parts[i + 1 :]))
    return path.as_posix()


def _template_frame(error: BaseException) -> tuple[str, int]:
    """The innermost template frame of a rendering error's traceback."""
    found = (contract.BASE_TEMPLATE, 0)
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".svg", ".css")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
