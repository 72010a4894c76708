"""Run the allocation command line: ``python -m engines.allocation solve|check ...``."""

import sys

from engines.allocation.cli import main

sys.exit(main())
