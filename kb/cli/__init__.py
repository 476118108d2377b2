"""The command line: the ``kb`` click group, one module per group of commands.

``main`` is the console script; ``cli`` is the click group (tests drive it in-process);
``build`` is ``kb build``, which ``build.py`` runs. Commands import heavy modules (whoosh,
flask, markdown) only when they run, so ``kb lookup`` starts fast.
"""

from kb.cli.main import build, cli, main

__all__ = ["build", "cli", "main"]
