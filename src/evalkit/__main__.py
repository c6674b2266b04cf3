"""``python -m evalkit``: the same as the ``evalkit`` command."""

from evalkit.pipeline.cli import main

raise SystemExit(main())
