// The notice about saved data that could not be read (see js/storage.js): it stays on
// the page, on every visit, until the person downloads or deletes each set-aside copy.

import { h } from "./dom.js";
import { confirmDialog, say } from "./messages.js";
import { discardSetAside, setAsideEntries } from "./storage.js";

const NOTICE_ID = "storage-notice";

function download(entry) {
  let json = false;
  try {
    JSON.parse(entry.text);
    json = true;
  } catch {
    // plain text
  }
  const stamp = (entry.when || new Date().toISOString()).slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  const name = `学时自查-无法读取的数据-${stamp}.${json ? "json" : "txt"}`;
  const url = URL.createObjectURL(new Blob([entry.text], { type: json ? "application/json" : "text/plain" }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  say(`已下载“${name}”。`);
}

/**
 * Show (or remove) the notice after `anchor`. `fresh`: what loadState() set aside on this
 * visit ({reason, blocked}), to say why; older copies are listed too.
 */
export function showSetAside(anchor, fresh = null) {
  document.getElementById(NOTICE_ID)?.remove();
  const entries = setAsideEntries();
  if (!entries.length) return;
  const intro = fresh
    ? fresh.blocked
      ? `本机保存的数据无法读取（${fresh.reason}），浏览器空间不足，无法另存，所以原数据原样保留：新的填写内容暂时不会保存。请先下载这份数据，再删除它。`
      : `本机保存的数据无法读取（${fresh.reason}），已原样另存在本机，没有删除。本页从空白开始；可以下载这份数据留存，或发给技术支持人员。`
    : "本机有以前无法读取的数据，已原样另存，没有删除：可以下载留存，不需要时再删除。";
  const items = entries.map((entry, i) => h("li", {},
    `第${i + 1}份${entry.when ? `（${entry.when.slice(0, 16).replace("T", " ")} 另存）` : ""}${entry.reason ? `：${entry.reason}` : ""}`,
    " ",
    h("button", { type: "button", class: "link-button", onclick: () => download(entry) }, "下载"),
    " ",
    h("button", {
      type: "button", class: "link-button danger",
      onclick: async () => {
        const ok = await confirmDialog("删除这份无法读取的数据？删除后不能恢复；如需保留，请先“下载”。", "删除");
        if (!ok) return;
        discardSetAside(entry.key);
        say("已删除这份无法读取的数据。");
        showSetAside(anchor);
      },
    }, "删除")));
  anchor.after(h("div", { id: NOTICE_ID, class: "storage-notice", role: "alert" },
    h("p", {}, h("strong", {}, "注意："), intro),
    h("ul", {}, items)));
}
