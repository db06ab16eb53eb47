// The page's address: which rule set a link asks for (read once at start-up), and the address
// kept in step with the chosen rule set afterwards (?rule_set=<id>). The parameters are listed
// at the top of app.js; compact mode (?compact=1) is embed.js's.

import { pageLink } from "./embed.js";
import { checkedYearFromParams, coversYear, defaultRuleSet, fromParams } from "./picker.js";
import { ruleSetForPlace } from "./place-picker.js";

const $ = (id) => document.getElementById(id);

/**
 * Put the rule set and the place a link names into `draft` (URL parameters win over the saved
 * selection; ?place=<code> alone picks the rule set answering for that place), or the default
 * rule set when the draft's is unknown. Returns the notice to show when the link named something
 * that does not exist, else null.
 */
export function applyAddress(tree, places, draft, params = new URLSearchParams(location.search)) {
  const place = places.get(params.get("place") || "");
  if (place) {
    draft.place = place.code;
    const id = ruleSetForPlace(place, tree.byId, draft.rule_set);
    if (id) draft.rule_set = id; // ?rule_set=… or ?jurisdiction=… below win over it
  } else if (!places.has(draft.place)) draft.place = "";
  const fromURL = fromParams(tree, params);
  if (fromURL) {
    draft.rule_set = fromURL;
    const year = checkedYearFromParams(tree, fromURL, params);
    if (year) draft.year = year; // saved with the first change, as the rule set is
  }
  if (!tree.byId.has(draft.rule_set)) draft.rule_set = defaultRuleSet(tree);
  if ((params.get("rule_set") || params.get("jurisdiction")) && !fromURL
      || (params.get("place") && !place)) {
    return "链接中指定的地区或规则集不存在，已显示其他规则集，请在第 1 步重新选择。";
  }
  if (fromURL && params.get("jurisdiction") && params.has("year") && !coversYear(tree, fromURL, Number(params.get("year")))) {
    return `链接中的${params.get("year")}年没有规则集，已显示${tree.byId.get(fromURL).year}年度的规则，请在第 1 步核对年度。`;
  }
  return null;
}

/** Keep the address (and the link to the batch page) in step with the chosen rule set and place. */
export function updateAddress(id, place = "") {
  $("link-batch")?.setAttribute("href", pageLink("batch.html", { rule_set: id }));
  const params = new URLSearchParams(location.search);
  if (params.get("rule_set") === id && (params.get("place") || "") === place && !params.has("jurisdiction")) return;
  for (const key of ["jurisdiction", "regime", "year"]) params.delete(key);
  params.set("rule_set", id);
  if (place) params.set("place", place);
  else params.delete("place");
  history.replaceState(null, "", `?${params}${location.hash}`);
}
