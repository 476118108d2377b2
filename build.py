"""Build the static site: ``python build.py [--out DIR] [--base-url URL] [--strict] [--articles DIR]``.

The same command as ``kb build`` (and the same messages); the stages live in kb/site/build.py.
"""

import sys

from kb.cli import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]])
