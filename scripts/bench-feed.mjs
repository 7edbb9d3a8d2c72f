#!/usr/bin/env node
// Feed generation at scale (issue 5: a 1,000-episode feed in under 1 s), and `castline serve`
// startup (well under a second). Baselines are measured in the same run, interleaved:
// - the raw `podcast` package building the same 1,000 items (the floor castline adds to);
// - a bare `node -e ""` for serve's startup.
// Cases: (1) plan + XML in memory; (2) the whole writeFeedAndSite on disk: 1,000 episode
// folders with build records, published.yaml ledgers, 1,000 pages and the feed written.
// Prints medians and ratios; exits 1 when (1) or serve start-up is over 1 s. Run: `npm run build && node scripts/bench-feed.mjs`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const lib = (p) => new URL(`../lib/${p}`, import.meta.url).href;
if (!existsSync(fileURLToPath(lib('pipeline/write-feed-and-site.js')))) {
  console.error('lib/ is missing: run `npm run build` first');
  process.exit(1);
}
const N = Number(process.env.BENCH_EPISODES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_MS = 1000;

const { Podcast } = await import('podcast');
const { ShowSchema } = await import(lib('config/show-schema.js'));
const { EpisodeSchema } = await import(lib('config/episode-schema.js'));
const { EpisodeBuildSchema } = await import(lib('records/build-record.js'));
const { planPublication } = await import(lib('publication/plan-publication.js'));
const { buildFeedXml } = await import(lib('feed/build-feed-xml.js'));
const { writeFeedAndSite } = await import(lib('pipeline/write-feed-and-site.js'));
const { loadValidShow } = await import(lib('config/load-show.js'));
const { createReporter } = await import(lib('core/reporter.js'));
const { parse } = await import('yaml');
const { readFileSync } = await import('node:fs');

const show = ShowSchema.parse(parse(readFileSync(join(root, 'show.yaml'), 'utf8')));
const day = (i) => new Date(Date.UTC(2000, 0, 1) + i * 7 * 86400e3).toISOString().slice(0, 10);
const notesText = 'This week: papers, tools & opportunities. '.repeat(20);
const notes = { summary: notesText, html: () => `<p>${notesText}</p>\n<ul><li><a href="https://arxiv.org/abs/2301.05217">A paper</a></li></ul>` };
const build = (id) => EpisodeBuildSchema.parse({
  id,
  builtAt: '2023-01-01T00:00:00Z',
  durationSeconds: 600,
  outputs: {
    mp3: { path: `dist/episodes/${id}/${id}.mp3`, bytes: 9_600_000, sha256: 'x' },
    chapters: { path: `dist/episodes/${id}/chapters.json`, bytes: 10, sha256: 'x' },
    vtt: { path: `dist/episodes/${id}/transcript.vtt`, bytes: 10, sha256: 'x' },
  },
  chapters: [0, 120, 300, 480].map((t, k) => ({ id: `c${k}`, title: `Chapter ${k}`, startTime: t, endTime: t + 120 })),
  chaptersEstimated: false,
  loudness: { target: -16, truePeakTarget: -1 },
});
const inputs = Array.from({ length: N }, (_, i) => {
  const id = `${day(i)}-episode-${i}`;
  return { id, folderDate: day(i), config: EpisodeSchema.parse({ title: `Episode title ${i} & more`, number: i + 1 }), build: build(id), guid: `guid-${i}`, videoId: undefined, notes };
});
const options = { now: new Date('2030-01-01T00:00:00Z'), podcastGuid: '917393e3-1b1e-5cef-ace4-edaa54e1f810', ledgerCreatedAt: '2000-01-01T00:00:00Z', coverDistPath: 'cover.png' };

function rawPodcast() {
  const feed = new Podcast({ title: show.title, description: show.description, feedUrl: `${show.site.baseUrl}feed.xml`, siteUrl: show.site.baseUrl, itunesOwner: show.owner, itunesImage: `${show.site.baseUrl}cover.png` });
  for (const ep of inputs) {
    feed.addItem({
      title: ep.config.title,
      description: notes.html(),
      content: notes.html(),
      url: `${show.site.baseUrl}episodes/${ep.id}/`,
      guid: ep.guid,
      date: new Date(`${ep.folderDate}T09:00:00Z`),
      enclosure: { url: `${show.site.baseUrl}episodes/${ep.id}/${ep.id}.mp3`, size: 9_600_000, type: 'audio/mpeg' },
      itunesDuration: '600',
      itunesEpisode: ep.config.number,
    });
  }
  return feed.buildXml({ indent: '  ' });
}
const castlineXml = () => buildFeedXml(planPublication(show, inputs, options));

function time(fn) {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
async function timeAsync(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm up both (JIT), then interleave.
rawPodcast();
castlineXml();
const raw = [];
const ours = [];
for (let r = 0; r < RUNS; r++) {
  raw.push(time(rawPodcast));
  ours.push(time(castlineXml));
}

// The whole stage on disk: a temp show with N built episodes.
const tmp = await mkdtemp(join(tmpdir(), 'castline-bench-feed-'));
let disk = [];
const loadTimes = [];
try {
  await cp(join(root, 'show.yaml'), join(tmp, 'show.yaml'));
  await cp(join(root, 'assets'), join(tmp, 'assets'), { recursive: true });
  for (const ep of inputs) {
    const dir = join(tmp, 'episodes', ep.id);
    const dist = join(tmp, 'dist', 'episodes', ep.id);
    await mkdir(dir, { recursive: true });
    await mkdir(dist, { recursive: true });
    await writeFile(join(dir, 'episode.yaml'), `title: "${ep.config.title}"\nnumber: ${ep.config.number}\n`);
    await writeFile(join(dist, 'build.json'), JSON.stringify(ep.build));
    await writeFile(join(dist, `${ep.id}.mp3`), 'x');
  }
  const reporter = createReporter({ quiet: true });
  const run = async () => {
    const t = performance.now();
    const ctx = await loadValidShow(tmp);
    loadTimes.push(performance.now() - t);
    return writeFeedAndSite(ctx, { reporter, now: options.now, loadNotes: async () => notes });
  };
  const first = await timeAsync(run); // assigns 1,000 GUIDs (writes 1,000 published.yaml)
  for (let r = 0; r < Math.min(RUNS, 5); r++) disk.push(await timeAsync(run));
  console.log(`first run (assigns ${N} GUIDs):           ${first.toFixed(0)} ms`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}

// castline serve: spawn → feed URL printed, against bare node.
async function startup(args, cwd, until) {
  const t = performance.now();
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (until(out)) {
        child.kill('SIGTERM');
        resolve();
      }
    });
    child.on('exit', () => resolve());
    child.on('error', reject);
  });
  return performance.now() - t;
}
const serveShow = await mkdtemp(join(tmpdir(), 'castline-bench-serve-'));
const serveTimes = [];
const nodeTimes = [];
try {
  await cp(join(root, 'show.yaml'), join(serveShow, 'show.yaml'));
  await mkdir(join(serveShow, 'dist'), { recursive: true });
  await writeFile(join(serveShow, 'dist', 'feed.xml'), '<rss/>');
  for (let r = 0; r < RUNS; r++) {
    nodeTimes.push(await startup(['-e', 'console.log("ready")'], serveShow, (o) => o.includes('ready')));
    serveTimes.push(await startup([join(root, 'bin/castline.js'), 'serve', '--port', '0'], serveShow, (o) => o.includes('feed.xml')));
  }
} finally {
  await rm(serveShow, { recursive: true, force: true });
}

const rawMs = median(raw);
const oursMs = median(ours);
const diskMs = median(disk);
console.log(`${N}-episode feed, medians of ${RUNS} runs (${spawnSync('nproc').stdout?.toString().trim()} cores):`);
console.log(`  raw podcast package (baseline)          ${rawMs.toFixed(0)} ms`);
console.log(`  castline plan + XML (in memory)          ${oursMs.toFixed(0)} ms  (${(oursMs / rawMs).toFixed(2)}× baseline; target < ${TARGET_MS} ms)`);
console.log(`  castline writeFeedAndSite (disk, ${N} pages) ${diskMs.toFixed(0)} ms  (${(diskMs / rawMs).toFixed(2)}× baseline; reported, not gated)`);
console.log(`  (before it: loading the show's ${N} episode folders, config/load-show.ts: ${median(loadTimes).toFixed(0)} ms)`);
console.log(`castline serve startup to feed URL: ${median(serveTimes).toFixed(0)} ms (bare node: ${median(nodeTimes).toFixed(0)} ms, ${(median(serveTimes) / median(nodeTimes)).toFixed(2)}×)`);
// Gated: generating the feed (issue 5's "1,000 episodes in under 1 s") and serve's start-up.
// The on-disk stage (1,000 build records read, 1,000 pages compared) is printed with its ratio
// but not gated: on a shared 2-core machine it mostly measures other processes' I/O and load.
const over = oursMs > TARGET_MS || median(serveTimes) > TARGET_MS;
if (over) console.log('over target');
process.exit(over ? 1 : 0);
