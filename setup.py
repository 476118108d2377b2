"""Packaging hook: the wheel carries a copy of the bundled articles as ``kb/articles``.

The articles stay in the repository's top-level ``articles/`` folder, where authors
edit them; ``kb.corpus.default_dir`` finds that folder in a source checkout (and in an
editable install) and this copy in an installed wheel. Everything else is in
pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ARTICLES = Path(__file__).resolve().parent / "articles"


class BuildWithArticles(build_py):
    """Build the packages, then copy the articles and their word lists into ``kb/articles``."""

    def run(self) -> None:
        """Build as usual; add the articles unless this is an editable install."""
        super().run()
        if self.editable_mode:  # the checkout's articles/ is found in place
            return
        target = Path(self.build_lib) / "kb" / "articles"
        target.mkdir(parents=True, exist_ok=True)
        # The word lists (vocabulary.txt, scope.txt) rank and tier as much as the articles.
        for source in sorted([*ARTICLES.glob("*.md"), *ARTICLES.glob("*.txt")]):
            self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildWithArticles})
