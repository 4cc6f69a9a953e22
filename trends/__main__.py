"""Entry point for `python -m trends`."""

import sys

from trends.cli.main import main

sys.exit(main())
