// Files in and out of the batch page: a chosen or dropped spreadsheet becomes
// {filename, base64, isZip} for calculator.doors.browser.batch_load; a file answer of the
// engine ({ok, filename, mime, base64}) becomes a download. Nothing leaves the browser.

import { h } from "./dom.js";

export const MAX_SHEET_BYTES = 20 * 1024 * 1024; // calculator/batch/sheets.py MAX_BYTES

/** Read a File: {filename, base64, isZip} (isZip: an XLSX, which needs openpyxl). */
export async function readSheetFile(file) {
  if (file.size > MAX_SHEET_BYTES) {
    throw new Error(`文件太大（${(file.size / 1024 / 1024).toFixed(1)} MB），一次最多 20 MB；可以分成几个文件核查`);
  }
  if (file.size === 0) throw new Error("文件是空的");
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const base64 = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new Error("浏览器无法读取这个文件"));
    reader.readAsDataURL(file);
  });
  return { filename: file.name, base64, isZip };
}

/** Save an engine file answer ({filename, mime, base64}) as a download. */
export function download(answer) {
  const binary = atob(answer.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: answer.mime }));
  const link = h("a", { href: url, download: answer.filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** A file input plus a drop zone; onFile(File) for the first file chosen or dropped. */
export function wireFileInputs(input, zone, onFile) {
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.value = ""; // choosing the same file again must fire "change" again
    if (file) onFile(file);
  });
  let depth = 0; // dragenter/leave fire for every child element
  const over = (on) => zone.classList.toggle("drop-over", on);
  zone.addEventListener("dragenter", (e) => { e.preventDefault(); depth += 1; over(true); });
  zone.addEventListener("dragleave", () => { depth = Math.max(0, depth - 1); if (!depth) over(false); });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); e.dataTransfer.dropEffect = "copy"; });
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    over(false);
    const file = e.dataTransfer.files && e.dataTransfer.files[0];
    if (file) onFile(file);
  });
  // A file dropped next to the zone must not make the browser navigate away from the results.
  for (const type of ["dragover", "drop"]) {
    window.addEventListener(type, (e) => { if (!zone.contains(e.target)) e.preventDefault(); });
  }
}
