// Files in and out: rule files, examples and notices opened from disk; the zip laid out like
// rules/ (doors/studio.py `bundle`) to submit.

import { download } from "../js/batch-files.js";
import { call, note, problemsText } from "./page.js";

export async function openFiles(ctx, files) {
  const opened = [];
  for (const file of files) {
    const text = await file.text();
    if (/\.cases\.ya?ml$/i.test(file.name)) ctx.store.edit("cases", text, "file");
    else if (/\.(ya?ml|json)$/i.test(file.name)) ctx.store.edit("rule", text, "file");
    else ctx.store.edit("source", text, "file");
    opened.push(file.name);
  }
  if (!opened.length) return;
  ctx.store.rename(opened[0].replace(/\.(cases\.)?(ya?ml|json|txt)$/i, ""));
  note("drafts-message", `已打开：${opened.join("、")}`);
}

export async function downloadZip(ctx) {
  const d = ctx.store.current;
  const answer = await call(ctx.engine, "bundle", d.rule, d.source, d.cases);
  if (!answer.ok) return note("drafts-message", problemsText(answer), true);
  download(answer);
  note("drafts-message", `已下载 ${answer.filename}：解压到项目的 rules/ 目录（规则文件可放入所属地区的子目录），运行 python -m calculator validate 和 examples 后提交。`);
}
