// Moving a case in and out of the page: export to a JSON file, read an
// imported file, and share links that keep the case in the URL fragment
// (#case=<base64url of the case JSON>; a fragment is never sent to a server).

import { h } from "./dom.js";
import { say, sayError } from "./messages.js";
import { fromBase64Url, toBase64Url } from "./state.js";

export const MAX_IMPORT_BYTES = 5_000_000;
const $ = (id) => document.getElementById(id);

/** Download the case as 学时自查-<rule set>-<yyyymmdd>.json. */
export function exportCase(data, problemCount) {
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const name = `学时自查-${data.rule_set}-${today}.json`;
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  say(problemCount ? `已导出“${name}”。注意：其中有${problemCount}处输入有误，请修改后再导出一次。` : `已导出“${name}”，可用“导入文件”恢复。`);
}

/** The text of the file chosen in an <input type=file>, or null (with the reason shown). */
export async function readChosenFile(input) {
  const file = input.files && input.files[0];
  input.value = ""; // choosing the same file again must fire "change" again
  if (!file) return null;
  if (file.size > MAX_IMPORT_BYTES) {
    // Refused before reading a byte of it (a case file is a few KB).
    const size = file.size >= 1e6 ? `${Math.round(file.size / 1e6)} MB` : `${Math.round(file.size / 1e3)} KB`;
    sayError("导入失败，当前数据没有改动：", [{
      message: `文件有 ${size}，超过 ${MAX_IMPORT_BYTES / 1e6} MB 的上限：不是本工具导出的文件（导出文件通常只有几 KB）`,
    }]);
    return null;
  }
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    sayError("导入失败，当前数据没有改动：", [{ message: "无法读取这个文件" }]);
    return null;
  }
  const decoded = decodeText(bytes);
  if (!decoded) {
    sayError(`无法导入文件“${file.name}”，当前数据没有改动：`, [{
      message: "不是有效的 JSON 文本：无法识别文件编码（既不是 UTF-8 也不是 GBK）；请用本工具“导出文件”得到的文件，或另存为 UTF-8 编码",
    }]);
    return null;
  }
  return { text: decoded.text, name: file.name, encoding: decoded.encoding };
}

/**
 * UTF-8 (with or without BOM), else GBK as Notepad and WPS on Chinese Windows save it (read as
 * GB18030, its superset): file.text() read GBK as UTF-8 and replaced every Chinese character
 * with U+FFFD, and that garbage was imported over good data. Null when neither reads.
 */
function decodeText(bytes) {
  for (const encoding of ["utf-8", "gb18030"]) {
    try {
      return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes), encoding };
    } catch {
      // not this one
    }
  }
  return null;
}

/** Hide the share link (it holds the data of the moment it was made). */
export function hideShareLink() {
  $("share-box").hidden = true;
  $("share-url").value = "";
}

/** Show (and try to copy) a link that opens this case. */
export async function shareLink(data) {
  const url = new URL(location.href);
  url.hash = `case=${toBase64Url(JSON.stringify(data))}`;
  $("share-box").hidden = false;
  const field = $("share-url");
  field.value = url.href;
  field.focus();
  field.select();
  try {
    await navigator.clipboard.writeText(url.href);
    say("分享链接已复制。链接里包含你填写的全部内容，请只发给需要的人。");
  } catch {
    say("请复制下面的分享链接。链接里包含你填写的全部内容，请只发给需要的人。");
  }
}

/** The case text of a #case= address (then removed from the address bar), or null. */
export function takeSharedCase() {
  if (!location.hash.startsWith("#case=")) return null;
  const encoded = location.hash.slice("#case=".length);
  history.replaceState(null, "", `${location.pathname}${location.search}`);
  try {
    return fromBase64Url(decodeURIComponent(encoded));
  } catch {
    sayError("分享链接已损坏，无法读取；当前数据没有改动。", []);
    return null;
  }
}
