// Parses Mermaid files with the real mermaid parser (run by tests/it/exports.rs
// when .ci/run has installed mermaid and jsdom beside a copy of this file).
import { JSDOM } from "jsdom";
import fs from "node:fs";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window; globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const f of process.argv.slice(2)) {
  try { await mermaid.parse(fs.readFileSync(f, "utf8")); console.log("ok", f); }
  catch (e) { failed++; console.log("FAIL", f, String(e).slice(0, 300)); }
}
process.exit(failed ? 1 : 0);
