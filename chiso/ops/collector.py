"""Python's cyclic garbage collector in a long-lived server process.

A full collection walks every object the process holds: on a warmed web process (Django, every app's views
and templates, the figures in memory) it paused the request it fell in by about 100 ms, a few times in every
few hundred requests — measured on a coordinator's home and the leadership's index page of the national
dataset, where every request over 80 ms coincided with one (docs/PERFORMANCE.md). What is loaded once and kept
for the life of the process never becomes garbage: frozen, later collections skip it and the pause halves.

The web server's processes (chiso.wsgi) and the benchmark, which measures the pages as those processes serve
them, both call this once they are loaded."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def freeze_what_is_loaded() -> None:
    """Import what every request needs (the URL patterns import every app's views), then move every object now
    alive out of the collector's reach."""
    get_resolver().url_patterns  # noqa: B018 — loads the URL configuration and the views it names
    gc.collect()
    gc.freeze()
