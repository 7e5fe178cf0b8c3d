"""The Nu HTML Checker (vnu.jar, npm vnu-jar, system Java): no error in the
whole production output. The pages only the live site produces (published
comments, the comment service's pages): tests/browser/quality/test_live_html.py."""

from __future__ import annotations

import pytest

from qualitylib import describe_vnu, run_vnu

pytestmark = pytest.mark.timeout(300)


@pytest.mark.autocheck("vnu")
def test_whole_production_output_is_valid_html(prod_site, vnu):
    pages = list(prod_site.output.rglob("*.html"))
    assert len(pages) > 40
    errors = run_vnu(vnu, prod_site.output)
    assert errors == [], describe_vnu(errors, prod_site.output)


def test_vnu_harness_reports_a_known_error(vnu, tmp_path):
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
        '<body><img alt=""><p><div>x</div></p></body></html>', encoding="utf-8")
    errors = run_vnu(vnu, tmp_path)
    assert len(errors) >= 2, errors
