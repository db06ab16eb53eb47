// Edits the page makes on the person's behalf: adding and removing an activity (with 撤销),
// and bringing a field into view from a message about it.

import { say } from "./messages.js";
import { lineage, ruleSetForPlace } from "./place-picker.js";
import { newActivity } from "./state.js";

const $ = (id) => document.getElementById(id);

/** `app`: the page's parts (app.js). */
export function addActivity(app) {
  const { store } = app;
  const first = store.form.conversions[0];
  const a = newActivity(first.id, first.label);
  store.open.add(a.uid);
  store.change("activity_added", (d) => { d.activities.push(a); }, { uid: a.uid });
}

export function removeActivity(app, uidValue) {
  const { store } = app;
  const pos = store.draft.activities.findIndex((a) => a.uid === uidValue);
  if (pos < 0) return;
  const removed = store.draft.activities[pos];
  store.change("activity_removed", (d) => { d.activities.splice(pos, 1); }, { uid: uidValue, pos });
  const label = removed.name.trim() || "（未命名）";
  say(`已删除第${pos + 1}项：${label}`, {
    label: "撤销",
    run: () => {
      store.change("activity_restored", (d) => {
        d.activities.splice(Math.min(pos, d.activities.length), 0, removed);
      }, { uid: removed.uid });
      say(`已恢复：${label}`);
    },
  });
}

/** The person says where they work: that place, and the rule set answering for it. */
export function choosePlace(app, code) {
  const place = app.places.get(code);
  if (!place) return;
  const id = ruleSetForPlace(place, app.tree.byId, app.store.draft.rule_set) || app.store.draft.rule_set;
  app.store.change("rule_set", (d) => { d.place = code; d.rule_set = id; });
}

/**
 * A rule set chosen by its parts (province, unit, regime, year): the place stays while the rule
 * set is the place's or a parent's; another place's rule set moves the place there.
 */
export function chooseRuleSet(app, id) {
  const { store } = app;
  const where = placeOf(app, app.tree.byId.get(id).jurisdiction);
  const place = store.draft.place;
  const keep = place && where && lineage(app.places, place).includes(where);
  store.change("rule_set", (d) => {
    d.rule_set = id;
    if (!keep) d.place = where || "";
  });
}

/** The registry place a jurisdiction is, or sits under (a unit under its province), as Catalog.place_of. */
function placeOf(app, jurisdiction) {
  const seen = new Set();
  let current = jurisdiction;
  while (current && !seen.has(current)) {
    if (app.places.has(current)) return current;
    seen.add(current);
    current = app.tree.nodes.get(current)?.parent || null;
  }
  return null;
}

/** Bring a field into view and focus it (opening its activity card if needed). */
export function focusField(app, id) {
  const m = /^act-([^-]+)-/.exec(id);
  if (m && !$(id)) {
    app.store.open.add(m[1]);
    app.activities.refreshCard(m[1]);
    app.fieldErrors.apply();
  }
  const el = $(id);
  if (!el) return;
  el.scrollIntoView({ block: "center" });
  el.focus();
}
