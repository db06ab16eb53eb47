// Compact mode for embedding in an intranet page (an <iframe>): ?compact=1 on the
// calculator or the batch page adds class "compact" to <html>; style.css then drops
// the big header and intro and tightens the spacing. Everything stays usable.
// Imported first by app.js and batch.js, so the class is set before the page is drawn.

export const COMPACT = new URLSearchParams(location.search).get("compact") === "1";

if (COMPACT) document.documentElement.classList.add("compact");

/** A relative link to a sibling page ("index.html", "batch.html") with the given
 *  parameters; ?compact=1 is carried over, so a framed tool stays compact. */
export function pageLink(file, params = {}) {
  const query = new URLSearchParams(params);
  if (COMPACT) query.set("compact", "1");
  const text = query.toString();
  return text ? `${file}?${text}` : file;
}
