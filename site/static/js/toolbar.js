// The toolbar and the form's own buttons: add an activity, the person's name, export, import,
// share, clear, print; and opening a shared case (#case=…) once the engine is up.

import { addActivity } from "./edits.js";
import { findRuleSet } from "./picker.js";
import { confirmDialog, say, sayError } from "./messages.js";
import { buildCase, draftFromCase, emptyDraft, isEmpty } from "./state.js";
import { exportCase, readChosenFile, shareLink, takeSharedCase } from "./transfer.js";

const $ = (id) => document.getElementById(id);

/** `app`: the page's parts (app.js). */
export function wireToolbar(app) {
  const { store } = app;
  $("btn-add-activity").addEventListener("click", () => addActivity(app));
  $("person-name").addEventListener("input", () => {
    const name = $("person-name").value;
    store.change("name", (d) => { d.person.name = name; });
  });
  $("btn-export").addEventListener("click", () => exportCase(currentCase(store), store.caseProblems.length));
  $("import-file").addEventListener("change", (event) => importFile(app, event));
  $("btn-share").addEventListener("click", () => shareLink(currentCase(store)));
  $("btn-clear").addEventListener("click", () => clearAll(store));
  $("btn-print").addEventListener("click", () => window.print());
  const opened = [];
  window.addEventListener("beforeprint", () => {
    for (const d of document.querySelectorAll("#results details:not([open])")) {
      d.open = true;
      opened.push(d);
    }
  });
  window.addEventListener("afterprint", () => {
    for (const d of opened.splice(0)) d.open = false;
  });
}

function currentCase(store) {
  return buildCase(store.draft, store.form).case;
}

async function importFile(app, event) {
  const chosen = await readChosenFile(event.target);
  if (chosen) await importText(app, chosen.text, `文件“${chosen.name}”${chosen.encoding === "utf-8" ? "" : "（GBK 编码）"}`);
}

/** Check a case with parse_import; replace the data only if it can be read. */
async function importText(app, text, source) {
  say(`正在检查${source}…`);
  try {
    await app.engine.ready;
  } catch {
    sayError("导入失败，当前数据没有改动：", [{ message: "计算引擎未加载，无法检查文件" }]);
    return;
  }
  let answer;
  try {
    answer = await app.engine.call("parse_import", text);
  } catch (err) {
    answer = { ok: false, problems: [{ path: "", message: err.message }] };
  }
  if (!answer.ok) {
    sayError(`无法导入${source}，当前数据没有改动：`, answer.problems || []);
    return;
  }
  const draft = draftFromCase(answer.case, (j, r, y) => findRuleSet(app.tree, j, r, y));
  if (!app.tree.byId.has(draft.rule_set)) {
    sayError(`无法导入${source}，当前数据没有改动：`, [{ message: "文件中的规则集在本工具中不存在" }]);
    return;
  }
  app.store.replace(draft);
  say(`已导入${source}：${draft.activities.length} 项学习。`);
}

/** The case in the address's #case=… (already removed from the address), if any. */
export async function openSharedCase(app) {
  const text = takeSharedCase();
  if (text === null) return;
  if (!isEmpty(app.store.draft)) {
    const ok = await confirmDialog("打开分享链接中的数据，将替换本机已保存的内容。需要保留的话，请先取消并“导出文件”。", "替换为链接中的数据");
    if (!ok) {
      say("已保留本机数据，未打开分享链接中的数据。");
      return;
    }
  }
  await importText(app, text, "分享链接中的数据");
}

async function clearAll(store) {
  const ok = await confirmDialog("清空已填写的全部内容（学习、个人情况、以往年度学时）？清空后不能恢复；如需保留，请先“导出文件”。", "清空");
  if (!ok) return;
  store.replace(emptyDraft(store.draft.rule_set), "cleared");
  say("已清空。");
}
