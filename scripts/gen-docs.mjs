#!/usr/bin/env node
// `npm run docs:config` / `npm run docs:errors` (`node scripts/gen-docs.mjs config errors`):
// regenerate the README's generated sections (the configuration reference from the zod
// schemas, the errors list from the error catalogue) via the compiled lib/ (`npm run build`
// first; the npm scripts do). `--check` only compares and exits 1 when the README is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SECTIONS = {
  config: { what: 'configuration reference', module: 'config/render-config-docs.js', render: 'renderConfigDocs', script: 'docs:config' },
  errors: { what: 'errors section', module: 'core/render-error-docs.js', render: 'renderErrorDocs', script: 'docs:errors' },
};

const args = process.argv.slice(2);
const check = args.includes('--check');
const names = args.filter((a) => !a.startsWith('--'));
for (const name of names) {
  if (!SECTIONS[name]) {
    console.error(`unknown README section "${name}" (known: ${Object.keys(SECTIONS).join(', ')})`);
    process.exit(2);
  }
}

async function load(path) {
  const url = new URL(`../lib/${path}`, import.meta.url);
  try {
    return await import(url.href);
  } catch (error) {
    console.error(`cannot load ${fileURLToPath(url)} (${error.message}): run \`npm run build\` first`);
    process.exit(1);
  }
}

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const { replaceReadmeSection } = await load('core/readme-section.js');
const before = readFileSync(readmePath, 'utf8');
let after = before;
let stale = false;
for (const name of names.length ? names : Object.keys(SECTIONS)) {
  const s = SECTIONS[name];
  const next = replaceReadmeSection(after, name, (await load(s.module))[s.render]());
  if (next === after) console.log(`README.md ${s.what} is up to date`);
  else if (check) {
    console.error(`README.md ${s.what} is out of date: run \`npm run ${s.script}\``);
    stale = true;
  } else console.log(`README.md ${s.what} regenerated`);
  after = next;
}
if (check) process.exit(stale ? 1 : 0);
if (after !== before) writeFileSync(readmePath, after);
