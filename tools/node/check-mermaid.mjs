// Parses each Mermaid file given on the command line with the real `mermaid` package.
// Exits 1 and prints the parser's message for the first file that does not parse.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

// Mermaid sanitises labels with DOMPurify, which needs a DOM even for parsing.
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  try {
    const result = await mermaid.parse(text);
    console.log(`ok ${file}: ${result.diagramType}`);
  } catch (e) {
    failed += 1;
    console.error(`FAIL ${file}: ${e.message ?? e}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
