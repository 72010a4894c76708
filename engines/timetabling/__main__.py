"""Allow ``python -m engines.timetabling``."""

import sys

from engines.timetabling.cli import main

sys.exit(main())
