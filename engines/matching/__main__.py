"""Run the matching command line: ``python -m engines.matching solve|check ...``."""

import sys

from engines.matching.cli import main

sys.exit(main())
