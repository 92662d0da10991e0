"""The LOGGING setting: kept apart from settings.py, which it would lengthen by a screen.

Every record, whoever writes it, goes out as one JSON object per line with the id of the
request it was written in and e-mail addresses masked (helpcenter/request_log.py). This
module imports nothing from Django: settings.py imports it before Django is set up.
"""

from __future__ import annotations


def logging_config(*, level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "helpcenter.request_log.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # jieba prints its dictionary loading to the root logger at DEBUG/INFO.
            "jieba": {"level": "WARNING"},
            # No plain-text handler of its own (Django's default, DEBUG only): lines reach the root's once.
            "django": {"handlers": [], "level": "INFO"},
            # 4xx answers are already in the request line; 5xx keep Django's line with the traceback.
            "django.request": {"level": "ERROR"},
            # runserver's own access line would repeat the JSON request line in plain text.
            "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }
