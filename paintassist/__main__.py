"""``python -m paintassist`` = the ``paintassist`` command."""

from paintassist.cli import main

raise SystemExit(main())
