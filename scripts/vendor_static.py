"""Copy the front-end packages into static/vendor/ so that pages never load from a CDN.

The NHS.UK frontend comes from npm (node_modules/), plotly.js from the plotly Python package.
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


def main() -> int:
    if not NHSUK.is_dir():
        print("node_modules/nhsuk-frontend is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    import plotly

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

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    (VENDOR / "plotly").mkdir(parents=True, exist_ok=True)
    shutil.copy2(plotly_js, VENDOR / "plotly" / "plotly.min.js")
    print(f"front-end packages copied into {VENDOR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
