#!/usr/bin/env node
// `npm run docs:config`: regenerate the README's configuration reference (its `config`
// section) from the zod schemas, via the compiled lib/ (`npm run build` first; the npm script
// does). `--check` only compares and exits 1 when the README is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const lib = new URL('../lib/config/render-config-docs.js', import.meta.url);
let mod;
try {
  mod = await import(lib.href);
} catch (error) {
  console.error(`cannot load ${fileURLToPath(lib)} (${error.message}): run \`npm run build\` first`);
  process.exit(1);
}
const { renderConfigDocs, replaceReadmeSection } = mod;
const before = readFileSync(readmePath, 'utf8');
const after = replaceReadmeSection(before, 'config', renderConfigDocs());
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('README.md configuration reference is out of date: run `npm run docs:config`');
    process.exit(1);
  }
  console.log('README.md configuration reference is up to date');
} else if (after === before) {
  console.log('README.md configuration reference already up to date');
} else {
  writeFileSync(readmePath, after);
  console.log('README.md configuration reference regenerated');
}
