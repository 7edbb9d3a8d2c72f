#!/usr/bin/env node
// `npm run bench`: runs every benchmark script (scripts/bench-*.mjs) one after another, each
// printing its own figures with a baseline measured in the same run. Pass names to run only
// some: `npm run bench -- cli feed`.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const dir = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => /^bench-[\w-]+\.mjs$/.test(f))
  .filter((f) => !wanted.length || wanted.some((w) => f === `bench-${w}.mjs`))
  .sort();
if (!benches.length) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, [join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`${file} failed (exit ${result.status})`);
  }
}
process.exit(failed ? 1 : 0);
