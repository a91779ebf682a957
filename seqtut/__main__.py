"""`python -m seqtut`: see `seqtut.cli`."""

import sys

from seqtut.cli import main

sys.exit(main())
