"""Run the node suites (tests/js) on a freshly built site: the browser engine ranks as Python."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from kb.site import BuildOptions, build_site
from tests.conftest import ARTICLES, REPO

NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None and os.environ.get("CI") != "true", reason="node is not installed")
def test_node_suites_pass_on_the_built_site(tmp_path):
    out = tmp_path / "site"
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    proc = subprocess.run(
        [NODE or "node", "--test", "tests/js/"],
        cwd=REPO,
        env={**os.environ, "KB_SITE_DIR": str(out)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout
