"""``python -m viewer``: the same as the ``drug-viewer`` command."""

from viewer.app import main

raise SystemExit(main())
