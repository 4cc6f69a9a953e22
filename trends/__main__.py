"""Entry point for `python -m trends`."""

import sys

from .cli import main

sys.exit(main())
