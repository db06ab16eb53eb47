"""Screenshots of the batch page with a loaded table, and of compact mode in an iframe.

    python -m tests.browser.batch_shots [OUT_DIR] [--site SITE_DIR]

Writes into OUT_DIR (default /tmp/shots/batch): desktop (1280 px) and phone (375 px) full
pages of batch.html with 60 people loaded (some short, some with typos, some applying for
titles), one person's full result opened from the table, the print view of the title applicants' summary (PNG and PDF), and an intranet
page holding the batch page and the calculator in compact mode (?compact=1) in iframes.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from sitebuild.site.serve import serve

from .batch_page import XIANGXI_HEADERS, BatchPage, excel_csv, staff_rows
from .harness import RequestGuard, launch_browser, new_context
from .shots import _save, run

VIEWS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
SHEET = excel_csv(XIANGXI_HEADERS, staff_rows(60, seed=3, bad_every=13, titles_every=9))


def host_page(src: str, width: int, height: int) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>单位内网</title>'
        '<body style="margin:0;font-family:sans-serif;background:#eef">'
        '<div style="padding:8px 12px;background:#345;color:#fff">某单位 OA · 人事处 · 继续教育学时</div>'
        f'<iframe src="{src}" title="学时自查" width="{width}" height="{height}" style="border:0;display:block" '
        'sandbox="allow-scripts allow-same-origin allow-downloads"></iframe></body></html>'
    )


def fulfil_with(body: str):
    # One parameter only: Playwright passes (route, request) to a handler that takes two.
    return lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=body)


def shoot(site: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serve(site) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        for view, size in VIEWS.items():
            context = new_context(browser, viewport=size, is_mobile=view == "phone", has_touch=view == "phone")
            guard = RequestGuard.attach(context, server.origin)
            batch = BatchPage(context.new_page())
            batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
            batch.upload_and_wait("人员学时表.csv", SHEET)
            page = batch.page
            page.locator("#titles:not([hidden])").wait_for()
            _save(page, out / f"{view}-batch.png", written)  # also cut into parts 1400 px tall
            # a person's full result, as the calculator shows it
            page.locator("#result-table .person-open").first.click()
            page.locator("#person-body .requirements").wait_for()
            target = out / f"{view}-person.png"
            page.screenshot(path=str(target))
            written.append(target)
            page.locator("#btn-person-close").click()
            if view == "desktop":
                page.emulate_media(media="print")
                target = out / "print-titles.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                page.pdf(path=str(out / "print-titles.pdf"), format="A4", landscape=True)
                written.append(out / "print-titles.pdf")
            guard.assert_clean()
            context.close()

        for view, (width, height) in {"desktop": (900, 1100), "phone": (375, 740)}.items():
            for name, path in (("batch", "batch.html?rule_set=xiangxi-zhuanji-2020&compact=1"),
                               ("calculator", "index.html?rule_set=xiangxi-zhuanji-2020&compact=1")):
                context = new_context(browser, viewport={"width": width, "height": height + 40})
                guard = RequestGuard.attach(context, server.origin)
                page = context.new_page()
                host = server.url + "intranet.html"
                page.route(host, fulfil_with(host_page(path, width, height)))
                page.goto(host)
                frame = page.frame_locator("iframe")
                frame.locator("body[data-engine=ready]").wait_for(state="attached", timeout=90_000)
                if name == "batch":
                    frame.locator("#sheet-file").set_input_files(
                        files=[{"name": "人员学时表.csv", "mimeType": "text/csv", "buffer": SHEET}])
                    frame.locator("body[data-batch=done]").wait_for(state="attached", timeout=60_000)
                else:
                    frame.locator("body[data-evaluated]").wait_for(state="attached", timeout=60_000)
                page.wait_for_timeout(900)  # the engine banner hides itself after 800 ms
                target = out / f"compact-{name}-{view}.png"
                page.screenshot(path=str(target))
                written.append(target)
                guard.assert_clean()
                context.close()
        browser.close()
    return written


def main() -> None:
    run(shoot, Path("/tmp/shots/batch"), __doc__.split("\n")[0])


if __name__ == "__main__":
    main()
