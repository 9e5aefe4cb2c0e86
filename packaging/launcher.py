"""The bundle's entry point: the same main() as the installed ``drug-viewer`` command."""

import sys

from viewer.app import main

if __name__ == "__main__":
    sys.exit(main())
