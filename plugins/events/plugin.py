"""Wiring into Pelican: default settings, allowed fields, the generator."""

from __future__ import annotations

from pelican import signals

from .generator import DEFAULTS, EventsGenerator
from .model import EVENT_FIELDS, EVENT_STATES


def configure(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    # The editorial reader rejects unknown fields: declare the event ones,
    # for each events folder, on top of what the settings may already add.
    fields = dict(settings.get("EDITORIAL_FIELDS") or {})
    for folder in settings["EVENT_PATHS"]:
        fields[folder] = set(fields.get(folder, ())) | set(EVENT_FIELDS)
    settings["EDITORIAL_FIELDS"] = fields
    # « Status: annulé » and the like (model.EVENT_STATES) for events.
    statuses = dict(settings.get("EDITORIAL_STATUSES") or {})
    for folder in settings["EVENT_PATHS"]:
        statuses[folder] = tuple(dict.fromkeys([*statuses.get(folder, ()), *EVENT_STATES]))
    settings["EDITORIAL_STATUSES"] = statuses


def get_generators(_pelican):
    return EventsGenerator


def register():
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
