"""The bundle's entry point: the same run() as the installed ``drug-viewer`` command."""

import sys

from viewer.app import run

if __name__ == "__main__":
    sys.exit(run())
