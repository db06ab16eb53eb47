// Finding one's own rules by place: a combobox (input + listbox, the WAI-ARIA "combobox with
// listbox popup" pattern: ↑↓ move, Enter picks, Esc closes) over the place registry
// (rules/places.json through catalog().places: names, short names, pinyin and initials as
// `keys`), and under it the rule sets that answer for the chosen place per regime, with the
// bridge's own note when they are a parent's (words.fallback_note). Which rule sets answer is
// catalog()'s `answers`; nothing here decides it. Words: form().vocabulary.place_picker.

import { h } from "./dom.js";

const LIMIT = 12; // options shown at most; a longer query narrows them

/** The places whose name, short name or pinyin keys match `query`, best first. */
export function matchPlaces(places, query) {
  const q = query.trim().toLowerCase().replace(/\s+/g, "");
  if (!q) return [];
  const scored = [];
  for (const place of places) {
    let score = 0;
    if (place.short === q || place.name === q) score = 6;
    else if (place.keys.includes(q)) score = 5;
    else if (place.short.startsWith(q) || place.name.startsWith(q)) score = 4;
    else if (place.keys.some((k) => k.startsWith(q))) score = 3;
    else if (place.name.includes(q)) score = 2;
    if (score) scored.push({ place, score: score * 10 + (place.level === "province" ? 2 : place.level === "national" ? 1 : 0) });
  }
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, LIMIT).map((s) => s.place);
}

export class PlacePicker {
  /**
   * @param {HTMLElement} container
   * @param {object[]} places  catalog().places
   * @param {Map<string, object>} ruleSets  catalog() rule sets by id
   * @param {Record<string, string>} words  vocabulary.place_picker
   * @param {{pickPlace: (code: string) => void, pickRuleSet: (id: string) => void}} on
   */
  constructor(container, places, ruleSets, words, on) {
    this.places = places;
    this.byCode = new Map(places.map((p) => [p.code, p]));
    this.ruleSets = ruleSets;
    this.words = words;
    this.on = on;
    this.matches = [];
    this.active = -1;
    this.input = h("input", {
      id: "pick-where", type: "text", role: "combobox", autocomplete: "off", spellcheck: "false",
      "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "pick-where-list",
      "aria-describedby": "pick-where-hint",
    });
    this.list = h("ul", { id: "pick-where-list", role: "listbox", class: "place-options", "aria-label": words.label, hidden: true });
    this.status = h("p", { class: "place-none", id: "pick-where-none", "aria-live": "polite" });
    this.answers = h("div", { class: "place-answers", id: "pick-answers" });
    container.replaceChildren(
      h("div", { class: "field place-field" },
        h("label", { for: "pick-where" }, words.label),
        h("div", { class: "place-combo" }, this.input, this.list),
        h("p", { class: "hint", id: "pick-where-hint" }, words.hint),
        this.status),
      this.answers,
    );
    this.input.addEventListener("input", () => this.search());
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.input.addEventListener("blur", () => setTimeout(() => this.close(), 0));
    this.input.addEventListener("focus", () => { if (this.input.value && this.input.value !== this.shownName) this.search(); });
  }

  /** Show place `code` (or none) and the rule sets answering for it, rule set `ruleSetId` marked. */
  show(code, ruleSetId) {
    const place = code ? this.byCode.get(code) : null;
    this.shownName = place ? placeLabel(place, this.byCode) : "";
    if (document.activeElement !== this.input) this.input.value = this.shownName; // never under the typing
    this.status.textContent = "";
    this.answers.replaceChildren(...(place ? this.answerLines(place, ruleSetId) : []));
  }

  answerLines(place, ruleSetId) {
    const w = this.words;
    const regimes = Object.entries(place.answers);
    if (!regimes.length) return [h("p", { class: "place-note" }, w.no_answer)];
    return [
      h("p", { class: "place-answers-title" }, `${w.answers}（${place.name}）`),
      h("ul", { class: "place-answer-list" }, regimes.map(([regime, answer]) => h("li", { dataset: { regime } },
        h("span", { class: "place-regime" }, `${answer.regime_name}：`),
        answer.rule_sets.map((id) => {
          const rs = this.ruleSets.get(id);
          const current = id === ruleSetId;
          return h("button", {
            type: "button", class: `link-button place-rule-set${current ? " current" : ""}`,
            "aria-pressed": current ? "true" : "false", dataset: { ruleSet: id },
            onclick: () => this.on.pickRuleSet(id),
          }, rs ? rs.title : id);
        }),
        answer.note ? h("p", { class: "place-note fallback-note" }, answer.note) : null,
      ))),
    ];
  }

  search() {
    this.matches = matchPlaces(this.places, this.input.value);
    this.active = this.matches.length ? 0 : -1;
    this.status.textContent = this.input.value.trim() && !this.matches.length ? this.words.none : "";
    this.drawOptions();
  }

  drawOptions() {
    const open = this.matches.length > 0;
    this.list.replaceChildren(...this.matches.map((place, i) => h("li", {
      id: `pick-where-opt-${place.code}`, role: "option", class: "place-option",
      "aria-selected": i === this.active ? "true" : "false", dataset: { code: place.code },
      onmousedown: (event) => event.preventDefault(), // keep the focus in the input
      onclick: () => this.pick(place.code),
    }, placeLabel(place, this.byCode))));
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    const active = this.matches[this.active];
    if (active) {
      this.input.setAttribute("aria-activedescendant", `pick-where-opt-${active.code}`);
      document.getElementById(`pick-where-opt-${active.code}`)?.scrollIntoView({ block: "nearest" });
    } else this.input.removeAttribute("aria-activedescendant");
  }

  key(event) {
    const open = !this.list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) {
        this.search();
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.matches.length) % this.matches.length;
      this.drawOptions();
    } else if (event.key === "Enter") {
      if (open && this.matches[this.active]) {
        event.preventDefault();
        this.pick(this.matches[this.active].code);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        this.close();
      } else this.input.value = this.shownName;
    }
  }

  pick(code) {
    this.close();
    this.input.value = placeLabel(this.byCode.get(code), this.byCode);
    this.on.pickPlace(code);
  }

  close() {
    this.matches = [];
    this.active = -1;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }
}

/** "广州市（广东省）": a city with its province, a province or the country by its name. */
function placeLabel(place, byCode) {
  const parent = place.parent && byCode.get(place.parent);
  return parent && parent.level !== "national" ? `${place.name}（${parent.name}）` : place.name;
}

/** The place and its parents, nearest first (codes). */
export function lineage(byCode, code) {
  const out = [];
  let current = byCode.get(code);
  while (current && !out.includes(current.code)) {
    out.push(current.code);
    current = current.parent ? byCode.get(current.parent) : null;
  }
  return out;
}

/**
 * The rule set to show for `place`: among those answering in the current regime (else in the
 * regime where the place has rules of its own, else the first), the one of the current year,
 * else the latest.
 */
export function ruleSetForPlace(place, ruleSets, current) {
  const answers = Object.values(place.answers);
  const cur = ruleSets.get(current);
  const answer = (cur && place.answers[cur.regime]) || answers.find((a) => a.applied === place.code) || answers[0];
  if (!answer) return null;
  const sets = answer.rule_sets.map((id) => ruleSets.get(id)).filter(Boolean);
  const same = cur && sets.find((rs) => rs.year <= cur.year && cur.year <= (rs.last_year ?? rs.year));
  return (same || [...sets].sort((a, b) => b.year - a.year)[0] || {}).id || null;
}
