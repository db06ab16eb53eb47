// Entry of the studio's editor bundle: CodeMirror 6 with YAML, bundled once at build
// time by sitebuild/studio_bundle.py (esbuild, pinned packages in sitebuild/studio_npm/)
// into static/studio/editor.<hash>.js. Only editor machinery lives here; what a rule
// file may contain comes from the JSON Schema and every check from Python.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState } from "@codemirror/state";
import {
  EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, hoverTooltip, keymap, lineNumbers,
} from "@codemirror/view";

/**
 * A YAML editor in `parent`, inside a shadow root: there CodeMirror's styles go into a
 * constructed style sheet (adoptedStyleSheets), which the site's CSP (style-src 'self',
 * no inline <style>) allows; in the document itself it would insert <style> elements.
 * options: {doc, label, stylesheet (URL of the page's own CSS for the editor),
 *           onChange(text), complete(context) -> CompletionResult|null,
 *           hover(text, pos) -> {from, to, text}|null}
 */
export function createEditor(parent, options) {
  const shadow = parent.attachShadow({ mode: "open" });
  const mount = document.createElement("div");
  mount.className = "cm-host";
  if (options.stylesheet) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = options.stylesheet;
    shadow.append(link);
  }
  shadow.append(mount);
  const extensions = [
    lineNumbers(), highlightActiveLineGutter(), foldGutter(), history(), drawSelection(),
    indentOnInput(), bracketMatching(), closeBrackets(), highlightActiveLine(), highlightSelectionMatches(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
    yaml(), lintGutter(), EditorView.lineWrapping,
    // tabindex: the editable area is a tab stop (it is anyway); said explicitly so that
    // accessibility checkers see the scrolling region has keyboard access.
    EditorView.contentAttributes.of({ "aria-label": options.label || "编辑器", tabindex: "0" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && options.onChange) options.onChange(update.state.doc.toString());
    }),
  ];
  if (options.complete) extensions.push(autocompletion({ override: [options.complete] }));
  if (options.hover) {
    extensions.push(hoverTooltip((view, pos) => {
      const found = options.hover(view.state.doc.toString(), pos);
      if (!found) return null;
      return {
        pos: found.from, end: found.to, above: true,
        create() {
          const dom = document.createElement("div");
          dom.className = "studio-hover";
          dom.textContent = found.text;
          return { dom };
        },
      };
    }));
  }
  return new EditorView({ state: EditorState.create({ doc: options.doc || "", extensions }), parent: mount, root: shadow });
}

export function getText(view) {
  return view.state.doc.toString();
}

/** Replace the whole text (a draft opened, a form applied); undo history keeps it. */
export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Insert `text` at the cursor (replacing the selection) and select nothing after it. */
export function insertAtCursor(view, text) {
  const { from, to } = view.state.selection.main;
  view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
  view.focus();
}

/** Replace the text of the cursor's line and put the cursor at its end. */
export function replaceCursorLine(view, text) {
  const line = view.state.doc.lineAt(view.state.selection.main.head);
  view.dispatch({ changes: { from: line.from, to: line.to, insert: text }, selection: { anchor: line.from + text.length } });
  view.focus();
}

/** The line (1-based) and column of the cursor, and the text of that line. */
export function cursor(view) {
  const pos = view.state.selection.main.head;
  const line = view.state.doc.lineAt(pos);
  return { pos, line: line.number, column: pos - line.from, lineText: line.text };
}

/** Show problems: [{line (1-based), message, severity: "error"|"warning"}]. */
export function showProblems(view, problems) {
  const doc = view.state.doc;
  const diagnostics = problems.map((p) => {
    const line = doc.line(Math.min(Math.max(1, p.line || 1), doc.lines));
    return { from: line.from, to: Math.max(line.from, line.to), severity: p.severity || "error", message: p.message };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

/** Move the cursor to a line and scroll it into view. */
export function goToLine(view, lineNumber) {
  const line = view.state.doc.line(Math.min(Math.max(1, lineNumber), view.state.doc.lines));
  view.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
  view.focus();
}
