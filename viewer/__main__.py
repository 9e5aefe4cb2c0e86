"""``python -m viewer``: the same as the ``drug-viewer`` command."""

from viewer.app import run

raise SystemExit(run())
