"""``python -m evalkit report`` is the same as the ``evalkit report`` command."""

import sys

from .report import main

if __name__ == "__main__":
    sys.exit(main())
