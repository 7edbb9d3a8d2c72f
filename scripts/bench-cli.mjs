#!/usr/bin/env node
// CLI startup: `castline --help` must start in under 300 ms (issue 2), which holds only while
// main.ts and commands/registry.ts load no heavy module (each command's module is imported in
// its action). Measured against baselines taken in the same run, interleaved so machine load
// hits them alike: a bare `node -e ""` and `node` importing commander alone (the floor for a
// commander CLI). Prints medians, the ratio to bare node, and exits 1 over the target.
// Run: `npm run build && node scripts/bench-cli.mjs` (BENCH_RUNS=N to change the run count).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../bin/castline.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const TARGET_MS = 300;

if (!existsSync(fileURLToPath(new URL('../lib/cli/main.js', import.meta.url)))) {
  console.error('lib/ is missing: run `npm run build` first');
  process.exit(1);
}

const cases = [
  { name: 'node -e ""  (baseline)', args: ['-e', ''] },
  { name: 'node + import commander', args: ['--input-type=module', '-e', 'await import("commander")'] },
  { name: 'castline --help', args: [cli, '--help'], target: TARGET_MS },
  { name: 'castline --version', args: [cli, '--version'] },
  { name: 'castline new --help', args: [cli, 'new', '--help'] },
];

function once(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Warm the file cache, then interleave the cases run by run.
for (const c of cases) once(c.args);
const times = cases.map(() => []);
for (let i = 0; i < RUNS; i++) cases.forEach((c, j) => times[j].push(once(c.args)));

const base = median(times[0]);
console.log(`CLI startup, median of ${RUNS} runs each (node ${process.version}, ${process.platform}-${process.arch})`);
console.log(`${'case'.padEnd(26)}${'median'.padStart(10)}${'min'.padStart(10)}${'× node'.padStart(9)}`);
let failed = false;
cases.forEach((c, j) => {
  const m = median(times[j]);
  const verdict = c.target ? (m < c.target ? `  ok (target < ${c.target} ms)` : `  OVER TARGET (< ${c.target} ms)`) : '';
  if (c.target && m >= c.target) failed = true;
  console.log(`${c.name.padEnd(26)}${`${m.toFixed(1)} ms`.padStart(10)}${`${Math.min(...times[j]).toFixed(1)} ms`.padStart(10)}${`${(m / base).toFixed(2)}×`.padStart(9)}${verdict}`);
});
console.log(`castline --help costs ${(median(times[2]) - base).toFixed(1)} ms over bare node startup.`);
if (base > 100) {
  console.log(`note: bare node takes ${base.toFixed(0)} ms here (usually ~50 ms): the machine is busy, so compare the ratios, which load affects alike.`);
}
process.exit(failed ? 1 : 0);
