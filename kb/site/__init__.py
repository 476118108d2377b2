"""The static site: the knowledge base as a folder of pages, searched in the browser.

``build_site`` renders the web app's templates with relative links, writes the
search data that kb/static/engine/ ranks with, and swaps the new folder in.
"""

from kb.site.build import BuildOptions, BuildResult, SiteError, build_site

__all__ = ["BuildOptions", "BuildResult", "SiteError", "build_site"]
