"""Templates that people edit (emails, issues, .docx documents), rendered safely.

An administrator's template is code written by someone who is not a developer of
PartnerOps: it must not run anything on the server nor read what its variables do not
hold. Two rules make that so (the outside probe of issue 17 broke both):

- the context holds plain values only: strings, numbers, dates, booleans, and
  read-only records and tuples of them. :func:`freeze` checks and converts; a model
  instance (whose relations lead to every table, password hashes included) is refused
  by the code that builds the context, before any template sees it;
- the engines are restricted: Jinja's immutable sandbox with no globals for .docx,
  and a Django engine whose only tags and filters are the harmless built-in ones
  (no ``{% debug %}``, ``{% load %}``, ``{% include %}``, ``{% url %}``...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NoReturn

import jinja2
from django.template import Engine, Library, defaultfilters, defaulttags
from jinja2.sandbox import ImmutableSandboxedEnvironment

SCALARS = (str, int, float, Decimal, bool, dt.date, dt.datetime, type(None))


class Record(dict[str, Any]):
    """A read-only mapping: templates look its keys up, and can change nothing."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("template values are read-only")

    # Django templates call a callable attribute unless it says it alters data.
    _refuse.alters_data = True  # type: ignore[attr-defined]
    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse


Record.__module__ = "builtins"  # errors say "'Record object' has no attribute 'x'"


def freeze(value: Any, where: str = "context") -> Any:
    """``value`` as plain, read-only values; anything else is a programming error."""
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, Mapping):
        return Record({str(key): freeze(item, f"{where}.{key}") for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item, f"{where}[{index}]") for index, item in enumerate(value))
    raise TypeError(
        f"{where} is a {type(value).__name__}: templates get plain values, never objects"
    )


# Django templates (emails, issues) -----------------------------------------------------

ALLOWED_TAGS = (
    "autoescape",
    "comment",
    "cycle",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "now",
    "regroup",
    "resetcycle",
    "spaceless",
    "templatetag",
    "verbatim",
    "widthratio",
    "with",
)
REFUSED_FILTERS = {"pprint"}  # repr() of values: nothing a message needs


def _safe_library() -> Library:
    library = Library()
    for name in ALLOWED_TAGS:
        library.tags[name] = defaulttags.register.tags[name]
    for name, function in defaultfilters.register.filters.items():
        if name not in REFUSED_FILTERS:
            library.filters[name] = function
    return library


def restricted_engine(*, autoescape: bool) -> Engine:
    """A Django engine with no loaders and only the harmless built-in tags and filters:
    any other tag is "Invalid block tag" when the template is parsed."""
    engine = Engine(autoescape=autoescape, debug=False)
    engine.template_builtins = [_safe_library()]
    engine.template_libraries = {}
    return engine


# Jinja (.docx through docxtpl) ---------------------------------------------------------


def jinja_sandbox() -> jinja2.Environment:
    """Jinja's immutable sandbox: no attribute starting with an underscore, no method
    that changes a value, no globals (``lipsum``, ``range``, ``cycler``...), and an
    undefined name or attribute is an error rather than an empty string."""
    environment = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    environment.globals.clear()
    return environment


def jinja_error_message(error: Exception) -> str:
    """What a template author needs to read: the expression that failed, in words."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"syntax error: {error.message}"
    if isinstance(error, jinja2.exceptions.SecurityError):
        return f"{error} (templates may only use the documented variables)"
    if isinstance(error, jinja2.UndefinedError):
        return f"{error.message} (templates may only use the documented variables)"
    return str(error)
