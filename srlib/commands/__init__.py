"""Sub-commands of ``python -m srlib`` (one module each)."""
