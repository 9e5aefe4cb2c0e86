"""``drug-viewer ARGS`` run through ``viewer.app.main`` and left the ordinary way, for cProfile.

The program's entry (``viewer.app.run``) ends a command with ``os._exit`` once its files are written, which
also ends ``python -m cProfile`` before it writes its statistics; the profile of a command runs it here
instead. Timings never use this script: they run the real command.

    python -m cProfile -o OUT bench/cli_inprocess.py export ...
"""

import sys

from viewer.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
