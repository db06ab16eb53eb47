// What the draft gives elsewhere: the calculator's result view for one worked example
// (`preview`), and the guide page the build will make (`guide`, from the on-demand package
// xueshi-guide-preview, the build's own generator).

import { ResultView, renderStatus } from "../js/results.js";
import { $, call, note, problemsText } from "./page.js";

let view = null; // one view of the result pane (it listens for clicks on problem links)

export async function preview(ctx, index) {
  const example = ctx.store.examples[index];
  if (!example) return;
  const d = ctx.store.current;
  const status = $("status");
  renderStatus(status, { state: "loading", message: "正在计算…" });
  const answer = await call(ctx.engine, "preview", d.rule, d.source, JSON.stringify(example.input));
  if (!answer.result) {
    renderStatus(status, { state: "failed", message: problemsText(answer) });
    $("result-body").replaceChildren();
    return;
  }
  renderStatus(status, { state: "result", result: answer.result });
  view ||= new ResultView($("result-body"), { guideBase: null, focusField: () => {} });
  view.render({ result: answer.result, problems: [] }, {
    ruleSet: answer.result.rule_set.id,
    vocabulary: answer.vocabulary,
    personName: "",
    categoryName: (id) => id,
    activityNumber: (i) => i + 1,
  });
  $("preview-pane").dataset.previewed = example.name;
}

export async function guidePreview(ctx) {
  const d = ctx.store.current;
  note("guide-message", "正在生成…");
  const answer = await ctx.engine.loadPackages(["xueshi-guide-preview"])
    .then(() => ctx.engine.call("guide", d.rule, d.source, d.cases))
    .catch((err) => ({ ok: false, problems: [{ message: err.message }] }));
  const pre = $("guide-markdown");
  if (!answer.ok) {
    note("guide-message", problemsText(answer), true);
    pre.hidden = true;
    return;
  }
  note("guide-message", "指南页面（Markdown 源文）：");
  pre.textContent = answer.markdown;
  pre.hidden = false;
}
