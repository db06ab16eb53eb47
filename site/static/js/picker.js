// Choosing the rule set: province, then city/unit (where rule sets exist),
// regime and year; only combinations that exist. The tree is built from the
// jurisdiction codes, parents and levels in catalog() (no rule is read here).

import { h, select } from "./dom.js";

const REGIME_ORDER = ["shiye", "zhuanji"];

export function buildTree(catalog) {
  const nodes = new Map();
  for (const rs of catalog) {
    let node = nodes.get(rs.jurisdiction);
    if (!node) {
      node = {
        code: rs.jurisdiction, name: rs.jurisdiction_name, level: rs.jurisdiction_level,
        levelName: rs.jurisdiction_level_name, parent: rs.jurisdiction_parent, children: [], sets: [],
      };
      nodes.set(rs.jurisdiction, node);
    }
    node.sets.push(rs);
  }
  const roots = [];
  for (const node of [...nodes.values()]) {
    const parent = node.parent && nodes.get(node.parent);
    if (parent) {
      parent.children.push(node);
      continue;
    }
    // A parent without rule sets of its own: the child sits under its province from the place
    // registry (catalog().province, 青岛 under 山东省), a province entry with no rule set itself.
    const { province, province_name: provinceName, province_order: order } = node.sets[0];
    if (!province || province === node.code) {
      node.order = order;
      roots.push(node);
      continue;
    }
    let top = nodes.get(province);
    if (!top) {
      top = { code: province, name: provinceName, level: "province", levelName: "省", parent: null, children: [], sets: [], order };
      nodes.set(province, top);
      roots.push(top);
    }
    node.parent = province;
    top.children.push(node);
  }
  // Provinces in the place registry's order (the nation first); places within by code, not by
  // name: the codes are the names' pinyin, and a zh-CN localeCompare would load ICU's collation
  // data on the way to the first drawing of the form (10-20 ms of main-thread time at every start).
  const byName = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  roots.sort((a, b) => ((a.order ?? 1e9) - (b.order ?? 1e9)) || byName(a, b));
  for (const node of nodes.values()) node.children.sort(byName);
  const byId = new Map(catalog.map((rs) => [rs.id, rs]));
  return { nodes, roots, byId };
}

function rootOf(tree, node) {
  let current = node;
  const seen = new Set();
  while (current.parent && tree.nodes.has(current.parent) && !seen.has(current.code)) {
    seen.add(current.code);
    current = tree.nodes.get(current.parent);
  }
  return current;
}

/** The root and every descendant that has rule sets, depth first, with a display path. */
function places(root) {
  const out = [];
  const walk = (node, path) => {
    if (node.sets.length) out.push({ node, label: path });
    for (const child of node.children) walk(child, `${path} › ${child.name}`);
  };
  // "湖南省（全省）"; the nation is just "全国" (not "全国（全国家）")
  if (root.sets.length) out.push({ node: root, label: root.level === "national" ? root.name : `${root.name}（全${root.levelName}）` });
  for (const child of root.children) walk(child, child.name);
  return out;
}

const regimesOf = (node) =>
  [...new Set(node.sets.map((rs) => rs.regime))].sort((a, b) => REGIME_ORDER.indexOf(a) - REGIME_ORDER.indexOf(b));
const yearsOf = (node, regime) =>
  node.sets.filter((rs) => rs.regime === regime).map((rs) => rs.year).sort((a, b) => b - a);
const setOf = (node, regime, year) => node.sets.find((rs) => rs.regime === regime && rs.year === year);
/** The rule set whose period holds `year` (a cycle answers for each of its years, as Catalog.find). */
const setCovering = (node, regime, year) =>
  node.sets.find((rs) => rs.regime === regime && rs.year <= year && (rs.standing || year <= (rs.last_year ?? rs.year)));

/** The rule-set id named by URL parameters (?rule_set=… or ?jurisdiction=…&regime=…&year=…), or null. */
/** The rule set shown when nothing was chosen: the first place's latest year. */
export function defaultRuleSet(tree) {
  const root = tree.roots[0];
  const node = root.sets.length ? root : root.children.find((c) => c.sets.length) || root;
  return [...node.sets].sort((a, b) => b.year - a.year)[0].id;
}

export function fromParams(tree, params) {
  const id = params.get("rule_set");
  if (id && tree.byId.has(id)) return id;
  let node = tree.nodes.get(params.get("jurisdiction") || "");
  if (node && !node.sets.length) node = places(node)[0]?.node; // a province known only by its places
  if (!node) return null;
  const regimes = regimesOf(node);
  const regime = regimes.includes(params.get("regime")) ? params.get("regime") : regimes[0];
  const covering = params.has("year") && setCovering(node, regime, Number(params.get("year")));
  return (covering || setOf(node, regime, yearsOf(node, regime)[0])).id;
}

/**
 * The year to check within cycle rule set `id` (as the draft keeps it: text) when the URL's
 * ?jurisdiction=…&year=… names a year inside the cycle; else null (a one-year rule set has no choice).
 */
export function checkedYearFromParams(tree, id, params) {
  if (!params.get("jurisdiction") || !params.has("year")) return null;
  const rs = tree.byId.get(id);
  const year = Number(params.get("year"));
  if (!rs || !((rs.last_year ?? rs.year) > rs.year) || !coversYear(tree, id, year)) return null;
  return String(year);
}

/** Does rule set `id`'s period hold `year`? */
export function coversYear(tree, id, year) {
  const rs = tree.byId.get(id);
  return !!rs && rs.year <= year && year <= (rs.last_year ?? rs.year);
}

export function findRuleSet(tree, jurisdiction, regime, year) {
  const node = tree.nodes.get(jurisdiction || "");
  const rs = node && setCovering(node, regime, Number(year));
  return rs ? rs.id : null;
}

/** Four selects kept in the DOM (so focus stays put); onChange(ruleSetId) after every choice. */
export class Picker {
  constructor(container, tree, onChange) {
    this.tree = tree;
    this.onChange = onChange;
    this.root = select([], "");
    this.place = select([], "");
    this.regime = select([], "");
    this.year = select([], "");
    const row = (id, label, control) => {
      control.id = id;
      return h("div", { class: "field" }, h("label", { for: id }, label), control);
    };
    container.replaceChildren(
      row("pick-root", "省份", this.root),
      row("pick-place", "地区或单位", this.place),
      row("pick-regime", "类别", this.regime),
      row("pick-year", "年度", this.year),
      h("p", { class: "field-error", id: "pick-root-error", "aria-live": "polite" }),
    );
    this.root.addEventListener("change", () => this.choose("root"));
    this.place.addEventListener("change", () => this.choose("place"));
    this.regime.addEventListener("change", () => this.choose("regime"));
    this.year.addEventListener("change", () => this.choose("year"));
  }

  /** Show the selects for rule set `id`. */
  show(id) {
    const rs = this.tree.byId.get(id);
    const node = this.tree.nodes.get(rs.jurisdiction);
    this.fill(rootOf(this.tree, node), node, rs.regime, rs.year);
  }

  fill(root, node, regime, year) {
    this.places = places(root);
    setOptions(this.root, this.tree.roots.map((r) => [r.code, r.name]), root.code);
    setOptions(this.place, this.places.map((p) => [p.node.code, p.label]), node.code);
    setOptions(this.regime, regimesOf(node).map((r) => [r, node.sets.find((rs) => rs.regime === r).regime_name]), regime);
    setOptions(this.year, yearsOf(node, regime).map((y) => [String(y), `${y}年度`]), String(year));
    this.place.disabled = this.places.length < 2;
    this.regime.disabled = regimesOf(node).length < 2;
    this.year.disabled = yearsOf(node, regime).length < 2;
  }

  choose(which) {
    const root = this.tree.nodes.get(this.root.value);
    let node = this.tree.nodes.get(this.place.value);
    if (which === "root" || !node) node = places(root)[0].node;
    const regimes = regimesOf(node);
    const regime = regimes.includes(this.regime.value) ? this.regime.value : regimes[0];
    const years = yearsOf(node, regime);
    const wanted = Number(this.year.value);
    const year = years.includes(wanted) ? wanted : years[0];
    this.fill(root, node, regime, year);
    this.onChange(setOf(node, regime, year).id);
  }
}

function setOptions(el, pairs, value) {
  el.replaceChildren(...pairs.map(([v, label]) => h("option", { value: v }, label)));
  el.value = value;
}
