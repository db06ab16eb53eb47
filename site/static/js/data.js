// The data files the build writes (data/forms.*.json, data/rules.*.json), named by
// the page's <meta name="xueshi-forms|xueshi-rules"> tags.

/** The text at `url`; rejects with a short reason (Chinese or "HTTP <status>"). */
export async function fetchText(url) {
  if (!url) throw new Error("页面缺少数据地址");
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}
