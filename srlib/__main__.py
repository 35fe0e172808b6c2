"""``python -m srlib ...`` - see :mod:`srlib.cli`."""
from srlib.cli import main

raise SystemExit(main())
