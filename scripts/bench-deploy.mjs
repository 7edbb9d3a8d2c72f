#!/usr/bin/env node
// Bench: castline's S3 deploy (lib/deploy over @aws-sdk/lib-storage) into moto_server on a
// loopback port, against a bare lib-storage Upload of the same file with the same part size
// and concurrency, each client in its own process so peak RSS is its own. Then a 100-episode
// show where one episode changed: requests sent (counted by a proxy) and wall time.
// Targets (issue 12): RSS ≤ 200 MB, throughput ≥ 80 % of bare lib-storage; the incremental
// deploy sends only the changed episode's files plus index and feed, in ≤ 2 s + transfer.
//   node scripts/bench-deploy.mjs                 2 GB sparse MP4
//   BENCH_DEPLOY_MB=256 node scripts/bench-deploy.mjs   a quicker run
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, mkdir, open, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const self = fileURLToPath(import.meta.url);
const root = join(self, '..', '..');
const lib = (p) => import(join(root, 'lib', p));
const [role, endpoint, bucket, arg] = process.argv.slice(2);
const PART = 8 * 1024 * 1024;
const creds = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench-secret', AWS_REGION: 'us-east-1' };

if (role === 'bare') {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const { s3ClientConfig } = await lib('deploy/s3-target.js');
  const client = new S3Client(s3ClientConfig({ bucket, endpoint, forcePathStyle: true }));
  const started = performance.now();
  await new Upload({ client, params: { Bucket: bucket, Key: 'bare/big.mp4', Body: createReadStream(arg, { highWaterMark: 1024 * 1024 }), ContentType: 'video/mp4' }, partSize: PART, queueSize: 4 }).done();
  report(started);
} else if (role === 'castline') {
  const { s3DeployTarget } = await lib('deploy/s3-target.js');
  const { runDeploy } = await lib('deploy/run-deploy.js');
  const { createReporter } = await lib('core/reporter.js');
  const [prefix, dist] = arg.split('|');
  const started = performance.now();
  const result = await runDeploy({ dist, target: s3DeployTarget({ bucket, endpoint, forcePathStyle: true, prefix }), prune: false, dryRun: false, reporter: createReporter({ quiet: true }) });
  report(started, { uploaded: result.uploaded.length, unchanged: result.unchanged });
} else {
  await main();
}

function report(started, extra = {}) {
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, rssMB: process.resourceUsage().maxRSS / 1024, ...extra })}\n`);
}

function child(args, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [self, ...args], { env: { ...process.env, ...creds, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startMotoServer() {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'castline-bench-moto-'));
  const proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { cwd: dir, stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    const up = await new Promise((r) => connect(port, '127.0.0.1').once('connect', function () { this.destroy(); r(true); }).once('error', () => r(false)));
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://127.0.0.1:${port}`;
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'castline-bench' }));
  s3.destroy();
  return {
    url,
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill();
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const mb = Number(process.env.BENCH_DEPLOY_MB ?? 2048);
  const rounds = Number(process.env.BENCH_DEPLOY_ROUNDS ?? 2);
  const work = await mkdtemp(join(tmpdir(), 'castline-bench-deploy-'));
  let moto;
  let proxy;
  try {
    // 1. One big sparse MP4 (plus a feed) through castline, and through bare lib-storage, each
    //    into a fresh moto_server (moto keeps objects in its own process: a second 2 GB upload
    //    into a server already holding 2 GB measures the server), in alternating order.
    const dist = join(work, 'big');
    await mkdir(join(dist, 'episodes', 'x'), { recursive: true });
    const big = join(dist, 'episodes', 'x', 'x.mp4');
    const fh = await open(big, 'w');
    await fh.truncate(mb * 1024 * 1024);
    await fh.close();
    await writeFile(join(dist, 'feed.xml'), '<rss/>');
    const runs = { bare: [], castline: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['bare', 'castline'] : ['castline', 'bare'];
      for (const who of order) {
        moto = await startMotoServer();
        // No hash cache between runs: castline hashes the new file while it streams it.
        await rm(join(dist, '.castline'), { recursive: true, force: true });
        const r = who === 'bare' ? await child(['bare', moto.url, 'castline-bench', big]) : await child(['castline', moto.url, 'castline-bench', `big|${dist}`]);
        runs[who].push(r);
        console.log(`  round ${round + 1} ${who.padEnd(8)} ${r.seconds.toFixed(2)} s, ${(mb / r.seconds).toFixed(1)} MB/s, peak RSS ${r.rssMB.toFixed(0)} MB${r.uploaded !== undefined ? `, ${r.uploaded} files sent` : ""}`);
        await moto.stop();
        moto = undefined;
      }
    }
    const rate = (r) => mb / r.seconds;
    const best = (list) => list.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
    const median = (list) => [...list].sort((a, b) => a.seconds - b.seconds)[Math.floor((list.length - 1) / 2)];
    const bare = best(runs.bare);
    const ours = best(runs.castline);
    console.log(`${mb} MB sparse MP4 to a fresh moto_server per run, 8 MiB parts, 4 in flight, ${rounds} rounds in alternating order`);
    console.log(`  bare lib-storage: best ${bare.seconds.toFixed(1)} s (${rate(bare).toFixed(1)} MB/s), peak RSS ${Math.max(...runs.bare.map((r) => r.rssMB)).toFixed(0)} MB`);
    console.log(`  castline deploy:  best ${ours.seconds.toFixed(1)} s (${rate(ours).toFixed(1)} MB/s), peak RSS ${Math.max(...runs.castline.map((r) => r.rssMB)).toFixed(0)} MB (hashing the file while it streams)`);
    console.log(`  throughput: best ${((rate(ours) / rate(bare)) * 100).toFixed(0)} % of bare, median ${((rate(median(runs.castline)) / rate(median(runs.bare))) * 100).toFixed(0)} % (target ≥ 80 %); RSS ${Math.max(...runs.castline.map((r) => r.rssMB)) <= 200 ? 'within' : 'OVER'} 200 MB`);

    // 2. 100 episodes, one changed: through a counting proxy.
    moto = await startMotoServer();
    const { startFaultProxy } = await import(join(root, 'test/helpers/fault-proxy.mjs'));
    proxy = await startFaultProxy(moto.url);
    const show = join(work, 'show', 'dist');
    for (let i = 0; i < 100; i++) {
      const ep = join(show, 'episodes', `ep-${i}`);
      await mkdir(ep, { recursive: true });
      await writeFile(join(ep, `ep-${i}.mp3`), randomBytes(200 * 1024));
      await writeFile(join(ep, 'chapters.json'), JSON.stringify({ version: '1.2.0', chapters: [{ startTime: 0, title: `ep ${i}` }] }));
      await writeFile(join(ep, 'index.html'), `<h1>Episode ${i}</h1>`);
      await writeFile(join(ep, 'build.json'), JSON.stringify({ id: `ep-${i}`, v: 1 }));
    }
    await writeFile(join(show, 'index.html'), '<h1>Show</h1>');
    await writeFile(join(show, 'feed.xml'), '<rss>v1</rss>');
    const first = await child(['castline', proxy.endpoint, 'castline-bench', `show|${show}`]);
    const changedBytes = 200 * 1024;
    await writeFile(join(show, 'episodes', 'ep-42', 'ep-42.mp3'), randomBytes(changedBytes));
    await writeFile(join(show, 'episodes', 'ep-42', 'index.html'), '<h1>Episode 42, corrected</h1>');
    await writeFile(join(show, 'episodes', 'ep-42', 'build.json'), JSON.stringify({ id: 'ep-42', v: 2 }));
    await writeFile(join(show, 'index.html'), '<h1>Show, updated</h1>');
    await writeFile(join(show, 'feed.xml'), '<rss>v2</rss>');
    proxy.reset();
    const second = await child(['castline', proxy.endpoint, 'castline-bench', `show|${show}`]);
    const byMethod = {};
    for (const r of proxy.requests) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
    const puts = proxy.requests.filter((r) => r.method === 'PUT').map((r) => decodeURIComponent(r.url.split('?')[0]).replace('/castline-bench/show/', ''));
    const transfer = (changedBytes / (1024 * 1024)) / rate(bare);
    console.log(`100-episode show (${first.uploaded} files, first deploy ${first.seconds.toFixed(1)} s), one episode changed:`);
    console.log(`  ${second.uploaded} files uploaded (${puts.join(', ')}), ${second.unchanged} unchanged`);
    console.log(`  ${proxy.requests.length} requests (${Object.entries(byMethod).map(([m, n]) => `${n} ${m}`).join(', ')})`);
    console.log(`  ${second.seconds.toFixed(2)} s in the deploy; the changed bytes take ~${transfer.toFixed(2)} s at the bare rate above, so ${(second.seconds - transfer).toFixed(2)} s beyond transfer (target ≤ 2 s)`);
  } finally {
    await proxy?.close();
    await moto?.stop();
    await rm(work, { recursive: true, force: true });
  }
}
