// The studio's drafts in this browser (localStorage), saved on every change, versioned
// like the calculator's storage (js/storage.js):
//
//   localStorage["xueshi.studio"] = {version: DRAFTS_VERSION, current: "<key>",
//                                    drafts: {"<key>": {name, rule, cases, source, saved}}}
//
// Formats released so far: 1 (this one). A record this page cannot read (not JSON, a
// wrong shape, a newer version) is copied to "xueshi.studio.unreadable.<time>" before
// anything is saved over it, never deleted.

export const DRAFTS_KEY = "xueshi.studio";
export const DRAFTS_VERSION = 1;

function empty() {
  return { version: DRAFTS_VERSION, current: null, drafts: {} };
}

function valid(record) {
  return record && typeof record === "object" && record.version === DRAFTS_VERSION
    && record.drafts && typeof record.drafts === "object"
    && Object.values(record.drafts).every((d) => d && typeof d.rule === "string" && typeof d.cases === "string"
      && typeof d.source === "string");
}

/** {store, setAside: key|null}: the saved drafts, or an empty store (old data set aside). */
export function loadDrafts() {
  let text = null;
  try {
    text = localStorage.getItem(DRAFTS_KEY);
  } catch {
    return { store: empty(), setAside: null };
  }
  if (!text) return { store: empty(), setAside: null };
  try {
    const record = JSON.parse(text);
    if (valid(record)) return { store: record, setAside: null };
  } catch {
    // set aside below
  }
  const key = `${DRAFTS_KEY}.unreadable.${new Date().toISOString()}`;
  try {
    localStorage.setItem(key, text);
    localStorage.removeItem(DRAFTS_KEY);
  } catch {
    return { store: empty(), setAside: DRAFTS_KEY };
  }
  return { store: empty(), setAside: key };
}

/** Save the whole store; false when the browser refuses (full or disabled). */
export function saveDrafts(store) {
  try {
    localStorage.setItem(DRAFTS_KEY, JSON.stringify(store));
    return true;
  } catch {
    return false;
  }
}

export function newKey() {
  return `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
