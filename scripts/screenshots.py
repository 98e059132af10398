"""Take screenshots of pages in headless Chromium, at desktop and phone widths.

    python scripts/screenshots.py http://127.0.0.1:8000 / /forum/4-gear-talk/ --out var/shots
    python scripts/screenshots.py http://127.0.0.1:8000 /topic/7-x/ --login spidermike007:agora-demo

Used to look at what we build, and for the README's screenshot.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", default="var/shots")
    parser.add_argument("--login", help="username:password to sign in first")
    parser.add_argument("--widths", default="1280,375")
    parser.add_argument("--full", action="store_true", help="capture the full page")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (int(w) for w in args.widths.split(",")):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            if args.login:
                username, password = args.login.split(":", 1)
                page.goto(args.base + "/accounts/login/")
                page.fill("input[name=login]", username)
                page.fill("input[name=password]", password)
                page.click("form.account-form button[type=submit]")
                page.wait_for_load_state()
            for path in args.paths:
                page.goto(args.base + path)
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "index"
                suffix = "-member" if args.login else ""
                target = out / f"{name}{suffix}-{width}.png"
                page.screenshot(path=str(target), full_page=args.full)
                print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
