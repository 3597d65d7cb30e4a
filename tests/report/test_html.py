"""The HTML report in headless Chromium at a laptop (1366×768) and a phone (390×844):
summary, readiness gauge and fix plan at the top, device navigation, and no code block
that scrolls sideways."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import cli, run_args

# Run in the page by the test only (the report itself carries no script): every <pre>
# fits its box, and the result is written into the DOM that --dump-dom prints.
OVERFLOW_CHECK = """<script>
window.addEventListener('load', () => {
  const wide = [...document.querySelectorAll('pre')].filter(p => p.scrollWidth > p.clientWidth + 1);
  const page = document.documentElement.scrollWidth > window.innerWidth + 1;
  const out = document.createElement('output');
  out.id = 'overflow-check';
  const over = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className).join(',');
  out.textContent = `over=${over} pre=${document.querySelectorAll('pre').length} wide=${wide.length} page=${page} width=${window.innerWidth}`;
  document.body.appendChild(out);
  parent.postMessage(out.textContent, '*');
});
</script>"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium not installed (make test installs it)")
    return found


def headless(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["laptop", "phone"])
def test_html_report_fits_and_leads_with_the_plan(
    stored: dict[str, Any], tmp_path: Path, size: tuple[int, int]
) -> None:
    page = tmp_path / "office1.html"
    args = run_args("office1", stored["inventory"], "--no-store", "--format", "html")
    assert cli(*args, "--output", str(page)) == 1
    html = page.read_text()
    assert "<script" not in html
    (tmp_path / "probe.html").write_text(html.replace("</body>", OVERFLOW_CHECK + "</body>"))
    order = [
        html.index(s)
        for s in ('id="summary"', 'id="readiness-office1"', 'id="fix-plan"', "Findings by severity")
    ]
    assert order == sorted(order)  # summary, gauge, fix plan, then the findings
    assert all(f'href="#host-office1-{d}"' in html for d in ("gw1", "fw1", "rtr1", "sw1"))
    width, height = size
    # Chromium's headless window is at least 500 px wide: a phone is a 390 px frame
    frame = tmp_path / "frame.html"
    frame.write_text(
        '<!DOCTYPE html><body style="margin:0"><iframe id="f" src="probe.html" '
        f'style="border:0;width:{width}px;height:{height}px"></iframe>'
        "<script>addEventListener('message', e => { const o = document.createElement('output');"
        " o.id = 'overflow-check'; o.textContent = e.data; document.body.appendChild(o); });"
        "</script></body>"
    )
    window = f"--window-size={max(width, 500)},{height}"
    shot = tmp_path / f"office1-{width}.png"
    proc = headless(tmp_path / "p1", window, f"--screenshot={shot}", frame.as_uri())
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", proc.stderr
    assert shot.stat().st_size > 10_000
    dom = headless(
        tmp_path / "p2", window, "--virtual-time-budget=3000", "--dump-dom", frame.as_uri()
    ).stdout
    assert 'id="overflow-check"' in dom, dom[-2000:]
    result = dom.split('id="overflow-check">')[1].split("<")[0]
    assert " wide=0 " in result and "page=false" in result, result
    assert f"width={width}" in result
    assert "pre=" in result and int(result.split("pre=")[1].split()[0]) > 20
