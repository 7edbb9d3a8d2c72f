// Bench: the script stage on a long issue (40 sections of the seed's prose, about 60 KB),
// against a baseline measured in the same run: remark + GFM parsing the same text, which any
// markdown-based generator must pay. Prints milliseconds and the ratio; run `npm run build` first.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildScript } from '../lib/script/build-script.js';
import { parseMarkdown } from '../lib/script/parse-issue.js';
import { parseScriptMd } from '../lib/script/read-script.js';

const seed = readFileSync(new URL('../episodes/2023-01-20-mlaisu/issue.md', import.meta.url), 'utf8');
const body = seed.split('\n').slice(3, 8).join('\n\n');
const issue = ['# A long issue', 'Welcome to this long issue, with $2 / hour, ~30% and 10,000D.', ...Array.from({ length: 40 }, (_, i) => `## Section ${i + 1}\n\n${body}\n\n- item with https://example.org/${i} and 2.5x\n- GPT-4 at 70B parameters`)].join('\n\n');
const settings = { showTitle: 'Show', episodeId: '2023-01-20-bench', episodeTitle: 'Bench', episodeNumber: 1, date: '2023-01-20', wpm: 155, intro: 'Welcome to {show}.', outro: 'Bye.', urls: 'drop', links: [] };

function time(fn, runs = 15) {
  fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const baseline = time(() => parseMarkdown(issue));
const build = time(() => buildScript(issue, settings));
const scriptMd = buildScript(issue, settings).scriptMd;
const read = time(() => parseScriptMd(scriptMd, 'script.md'));
const kb = (Buffer.byteLength(issue) / 1024).toFixed(0);
console.log(`script: ${kb} KB issue, medians of 15 runs`);
console.log(`  baseline remark+gfm parse   ${baseline.toFixed(1)} ms`);
console.log(`  buildScript (script+notes)  ${build.toFixed(1)} ms  (${(build / baseline).toFixed(2)}x baseline)`);
console.log(`  parseScriptMd (read back)   ${read.toFixed(1)} ms  (${(read / baseline).toFixed(2)}x baseline)`);
