"""``python -m india_russia_relations`` runs the ``irr`` command."""

import sys

from .cli import main

sys.exit(main())
