// Quotes from the pasted notice: the selected text goes into the rule file exactly as
// selected (JSON string syntax is valid double-quoted YAML), so it matches the notice verbatim.

import { $, note } from "./page.js";

export function selectedSource() {
  const area = $("source-text");
  return area.value.slice(area.selectionStart, area.selectionEnd).trim();
}

export function insertQuote(ctx) {
  const selected = selectedSource();
  if (!selected) {
    note("quote-message", "请先在原文中选中要引用的文字。", true);
    return;
  }
  const { cm, ruleView } = ctx;
  const { lineText, column } = cm.cursor(ruleView);
  const before = lineText.slice(0, column);
  const quoted = JSON.stringify(selected);
  const quoteLine = lineText.match(/^(\s*(?:- )?)quote:/);
  if (quoteLine) {
    cm.replaceCursorLine(ruleView, `${quoteLine[1]}quote: ${quoted}`); // a new quote for this citation
  } else {
    cm.insertAtCursor(ruleView, before.trim() === "" ? `quote: ${quoted}` : quoted);
  }
  note("quote-message", `已插入引文（${selected.length} 字）。`);
}
