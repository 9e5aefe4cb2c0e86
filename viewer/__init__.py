"""drug-viewer: compare drugs side by side on the trial evidence."""

__version__ = "0.1.0"
