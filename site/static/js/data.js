// The data files the build writes (data/forms.*.json, data/rules.*.json), named by
// the page's <meta name="xueshi-forms|xueshi-rules"> tags.

/** The text at `url`; rejects with a short reason (Chinese or "HTTP <status>"). */
export async function fetchText(url) {
  if (!url) throw new Error("页面缺少数据地址");
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

/**
 * The forms data (sitebuild/site/pages.py forms_payload, "xueshi.forms/2"): catalog, passages,
 * places and each rule set's form. The places and the forms are JSON texts inside the document:
 * the places are parsed after `pause()` (a task of their own), each form when first read.
 */
export async function readForms(text, pause = async () => {}) {
  const data = JSON.parse(text);
  if (data.format !== "xueshi.forms/2") throw new Error(`表单数据的格式不对（${String(data.format).slice(0, 40)}）`);
  await pause();
  data.places = JSON.parse(data.places);
  const texts = data.forms;
  const forms = {};
  for (const id of Object.keys(texts)) {
    Object.defineProperty(forms, id, {
      enumerable: true,
      configurable: true,
      get() {
        const form = JSON.parse(texts[id]);
        Object.defineProperty(forms, id, { value: form, enumerable: true });
        return form;
      },
    });
  }
  data.forms = forms;
  return data;
}
