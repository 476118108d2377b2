"""Build the static site: ``python build.py [--out DIR] [--base-url URL] [--strict] [--articles DIR]``.

The same command as ``kb build``; the stages live in kb/site/build.py.
"""

from kb.cli.main import build

if __name__ == "__main__":
    build.main(prog_name="build.py")
