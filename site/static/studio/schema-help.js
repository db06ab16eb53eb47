// Completion and hover help for the rule editor, read from the rule file's JSON Schema
// (exported at build time from the pydantic models: `python -m calculator schema`).
// Only the format's field names and descriptions come from here; no rule, no check.

/** Keys from the document root down to the line holding `pos` (list items skipped). */
export function keyPath(text, pos) {
  const before = text.slice(0, pos);
  const lines = before.split("\n");
  const current = lines[lines.length - 1];
  let indent = current.match(/^[ -]*/)[0].length;
  const path = [];
  for (let i = lines.length - 2; i >= 0 && indent > 0; i -= 1) {
    const line = lines[i];
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const lead = line.match(/^ */)[0].length;
    const m = line.match(/^[ ]*(?:- )*([A-Za-z_][\w-]*):/);
    const start = line.match(/^[ -]*/)[0].length; // column of the key after any "- "
    if (m && start < indent) {
      path.unshift(m[1]);
      indent = Math.min(start, lead);
    } else if (lead < indent && /^ *- /.test(line)) {
      indent = lead; // a list item without a key on its line
    }
  }
  return path;
}

function deref(schema, node) {
  let n = node;
  for (let i = 0; n && i < 10; i += 1) {
    if (n.$ref) n = schema.$defs[n.$ref.split("/").pop()];
    else if (n.anyOf) n = n.anyOf.find((x) => x.type !== "null") || n.anyOf[0];
    else if (n.oneOf) n = n.oneOf[0];
    else if (n.type === "array" && n.items) n = n.items;
    else return n;
  }
  return n;
}

/** The schema object that the keys of `path` lead to (lists are stepped through). */
export function schemaAt(schema, path) {
  let node = deref(schema, schema);
  for (const key of path) {
    const props = node && node.properties;
    if (!props || !props[key]) return null;
    node = deref(schema, props[key]);
  }
  return node;
}

/** The description of a field (or its type's title when it has none). */
function describe(schema, prop) {
  const target = deref(schema, prop) || {};
  const text = prop.description || target.description || "";
  const choices = (target.enum || []).join("、");
  return [text, choices ? `可选：${choices}` : ""].filter(Boolean).join("；");
}

/** A CodeMirror completion source: field names allowed where the cursor is. */
export function completer(getSchema) {
  return (context) => {
    const schema = getSchema();
    if (!schema) return null;
    const word = context.matchBefore(/[A-Za-z_][\w-]*/);
    const line = context.state.doc.lineAt(context.pos);
    const head = line.text.slice(0, context.pos - line.from);
    if (!/^[ ]*(- )?[A-Za-z_\w-]*$/.test(head)) return null; // only where a key can start
    if (!word && !context.explicit) return null;
    const node = schemaAt(schema, keyPath(context.state.doc.toString(), context.pos));
    if (!node || !node.properties) return null;
    const required = new Set(node.required || []);
    return {
      from: word ? word.from : context.pos,
      options: Object.entries(node.properties).map(([name, prop]) => ({
        label: name,
        apply: `${name}: `,
        type: "property",
        detail: required.has(name) ? "必填" : "",
        info: describe(schema, prop) || undefined,
      })),
      validFor: /^[\w-]*$/,
    };
  };
}

/** Hover help: the description of the field name under the pointer. */
export function hoverHelp(getSchema) {
  return (text, pos) => {
    const schema = getSchema();
    if (!schema) return null;
    const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
    const lineEnd = text.indexOf("\n", pos) === -1 ? text.length : text.indexOf("\n", pos);
    const line = text.slice(lineStart, lineEnd);
    const m = line.match(/^([ -]*)([A-Za-z_][\w-]*):/);
    if (!m) return null;
    const from = lineStart + m[1].length;
    const to = from + m[2].length;
    if (pos < from || pos > to) return null;
    const node = schemaAt(schema, keyPath(text, lineStart + m[1].length));
    const prop = node && node.properties && node.properties[m[2]];
    if (!prop) return null;
    const help = describe(schema, prop);
    return help ? { from, to, text: `${m[2]}：${help}` } : null;
  };
}
