"""Text the system writes, kept as its message and parameters and shown in each reader's language.

A notification, a decision adopted by vote or a note of routine handling is written once but read by
many people, each in their own language, and by the same person again after they switch. So what the
system writes is not stored as the text the writer's language produced: :func:`freeze` keeps the
untranslated message (a ``gettext_lazy``/``pgettext_lazy`` string, so ``makemessages`` finds it) and
its parameters, and :func:`thaw` renders them in the language active where it is read. A parameter
may itself be a lazy message (a phase's name, "comment") and is translated the same way; anything
else (a title someone typed, a number) is kept as its text; a date or a time is written in the reader's
date format; a grid or a category, named in English and in Chinese (:class:`Bilingual`), keeps both names
and is read in the reader's.
"""

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, pgettext


def _message(value: Promise) -> dict | None:
    """The msgid (and context) behind a lazy translation, or None for any other lazy value."""
    func, args, kwargs = value.__reduce__()[1][:3]
    if kwargs:
        return None
    if func is gettext and len(args) == 1:
        return {"m": args[0]}
    if func is pgettext and len(args) == 2:
        return {"c": args[0], "m": args[1]}
    return None


def _freeze_value(value: Any) -> Any:
    if isinstance(value, Promise):
        return _message(value) or str(value)
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}  # written in the reader's date format
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, dict) and value.keys() & {"m", "t", "zh"}:
        return value  # frozen already, or kept in both languages
    if callable(getattr(value, "frozen", None)):
        return value.frozen()  # a grid, a category: named in both languages
    return "" if value is None else str(value)


def freeze(message: Any, params: dict[str, Any] | None = None) -> dict:
    """A message and its parameters, kept for rendering in the reader's language later (JSON)."""
    frozen = _message(message) if isinstance(message, Promise) else None
    if frozen is None:
        frozen = {"t": str(message)}  # not a translatable message: kept as written
    if params:
        frozen["p"] = {str(k): _freeze_value(v) for k, v in params.items()}
    return frozen


def thaw(frozen: dict | None) -> str:
    """The frozen message in the active language; its parameters too. Empty for nothing stored."""
    if not frozen:
        return ""
    if "dt" in frozen:
        return date_format(timezone.localtime(parse_datetime(frozen["dt"])), "DATETIME_FORMAT")
    if "d" in frozen:
        return date_format(parse_date(frozen["d"]), "DATE_FORMAT")
    if "zh" in frozen:
        return in_reader_language(frozen.get("en", ""), frozen["zh"])
    if "t" in frozen:
        text = frozen["t"]
    elif "c" in frozen:
        text = pgettext(frozen["c"], frozen["m"])
    else:
        text = gettext(frozen["m"])
    params = frozen.get("p")
    if not params:
        return text
    values = {k: thaw(v) if isinstance(v, dict) else v for k, v in params.items()}
    try:
        return text % values
    except (KeyError, ValueError, TypeError):
        # A catalogue whose translation lost a placeholder: the original message still reads right.
        return frozen.get("m", text) % values if "m" in frozen else text


def in_reader_language(english: str, chinese: str) -> str:
    """Of a text kept in English and in Chinese, the one for the active language, or the other if it is empty.

    English readers get English first; every other reader (Chinese, Tibetan) gets Chinese first.
    """
    language = get_language() or settings.LANGUAGE_CODE
    first, second = (english, chinese) if language.split("-")[0] == "en" else (chinese, english)
    return first or second


def bilingual(english: str, chinese: str) -> dict:
    """A text kept in both languages as a :func:`freeze` parameter: :func:`thaw` picks the reader's."""
    return {"en": english or "", "zh": chinese or ""}


class Bilingual:
    """A model whose ``name`` and ``description`` are English, with Chinese beside them in ``*_zh`` fields.

    ``local_name`` and ``local_description`` are what a page, a notification or an export shows.
    """

    def frozen(self) -> dict:
        """The name as a :func:`freeze` parameter, read later in each reader's language."""
        return bilingual(self.name, getattr(self, "name_zh", ""))

    def local(self, field: str) -> str:
        return in_reader_language(getattr(self, field, ""), getattr(self, f"{field}_zh", ""))

    @property
    def local_name(self) -> str:
        return self.local("name")

    @property
    def local_description(self) -> str:
        return self.local("description")
