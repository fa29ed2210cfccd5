"""`python -m sim` entry point."""

import sys

from sim.cli import main

sys.exit(main())
