"""Copy the front-end packages into static/vendor/ so that pages never load from a CDN.

The NHS.UK frontend and plotly.js come from npm (node_modules/), pinned in package-lock.json.
The NHS.UK stylesheet asks for its web font from assets.nhs.uk; networks without internet
cannot reach it, so those rules are dropped (the stylesheet falls back to Arial) and its
image paths are pointed at the copies served here.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
NHSUK = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
PLOTLY_JS = ROOT / "node_modules" / "plotly.js-dist-min" / "plotly.min.js"


def main() -> int:
    if not NHSUK.is_dir() or not PLOTLY_JS.is_file():
        print("node_modules is missing a front-end package: run `npm ci` first.", file=sys.stderr)
        return 1

    target = VENDOR / "nhsuk"
    target.mkdir(parents=True, exist_ok=True)
    css = (NHSUK / "nhsuk-frontend.min.css").read_text(encoding="utf-8")
    css = re.sub(r"@font-face\{[^}]*assets\.nhs\.uk[^}]*\}", "", css)
    css = css.replace("url(/assets/", "url(/static/vendor/nhsuk/assets/")
    # The source map is not copied: a reference to it fails `collectstatic` in production.
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    (target / "nhsuk-frontend.min.css").write_text(css, encoding="utf-8")
    shutil.copy2(NHSUK / "nhsuk-frontend.min.js", target / "nhsuk-frontend.min.js")
    shutil.copytree(NHSUK / "assets", target / "assets", dirs_exist_ok=True)

    (VENDOR / "plotly").mkdir(parents=True, exist_ok=True)
    shutil.copy2(PLOTLY_JS, VENDOR / "plotly" / "plotly.min.js")
    print(f"front-end packages copied into {VENDOR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
