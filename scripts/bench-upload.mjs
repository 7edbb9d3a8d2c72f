#!/usr/bin/env node
// Bench: castline's resumable YouTube upload (lib/youtube/upload-resumable.js over the real
// OAuth2Client) against a raw loopback PUT of the same file, both into servers that do the
// same work (SHA-256 of every byte), each client in its own process so peak RSS is its own.
// Targets (issue 6): throughput ≥ 80 % of the raw PUT, client peak RSS ≤ 200 MB.
//   node scripts/bench-upload.mjs            2 GB sparse file, 8 MiB chunks
//   BENCH_UPLOAD_MB=256 node scripts/bench-upload.mjs   a quicker run
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = join(self, '..', '..');
const role = process.argv[2];

if (role === 'servers') {
  // The fake YouTube (hash only, no bytes kept) and a raw PUT sink, in one process.
  const { FakeYouTube } = await import(join(root, 'test/fake-youtube/fake-youtube-server.mjs'));
  const fake = await new FakeYouTube({ keepBytes: false, quotaLimit: 1e9 }).start();
  const raw = createServer((req, res) => {
    const hash = createHash('sha256');
    req.on('data', (b) => hash.update(b));
    req.on('end', () => res.end(hash.digest('hex')));
  });
  await new Promise((r) => raw.listen(0, '127.0.0.1', r));
  fake.on('video', () => process.stdout.write(`${JSON.stringify({ video: [...fake.videos.values()].at(-1).sha256 })}\n`));
  process.stdout.write(`${JSON.stringify({ env: fake.env(), raw: `http://127.0.0.1:${raw.address().port}/` })}\n`);
} else if (role === 'raw-fetch') {
  // One PUT of the whole file through Node's fetch (undici), the HTTP stack gaxios uses.
  const [url, file, bytes] = process.argv.slice(3);
  const started = performance.now();
  // A Node stream as the body (an async iterable, as gaxios passes it): read with backpressure.
  const res = await fetch(url, { method: 'PUT', headers: { 'content-length': bytes, 'content-type': 'video/mp4' }, body: createReadStream(file, { highWaterMark: 1024 * 1024 }), duplex: 'half' });
  report(started, { digest: await res.text() });
} else if (role === 'raw') {
  // One PUT of the whole file through node:http.
  const [url, file, bytes] = process.argv.slice(3);
  const started = performance.now();
  const digest = await new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-length': bytes, 'content-type': 'video/mp4' } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => resolve(body));
    });
    req.on('error', reject);
    createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(req);
  });
  report(started, { digest });
} else if (role === 'castline') {
  const [file, bytes, chunkMiB] = process.argv.slice(3);
  const { uploadResumable } = await import(join(root, 'lib/youtube/upload-resumable.js'));
  const { createYouTubeClient, youtubeEndpoints, authorizedRequest } = await import(join(root, 'lib/youtube/create-youtube-client.js'));
  const { loadCredentials } = await import(join(root, 'lib/youtube/load-credentials.js'));
  const client = createYouTubeClient(await loadCredentials(), youtubeEndpoints());
  const started = performance.now();
  const { video } = await uploadResumable({
    request: authorizedRequest(client.auth),
    rootUrl: client.endpoints.rootUrl,
    filePath: file,
    bytes: Number(bytes),
    resource: { snippet: { title: 'bench', categoryId: '28' }, status: { privacyStatus: 'private' } },
    chunkBytes: Number(chunkMiB) * 1024 * 1024,
  });
  report(started, { videoId: video.id });
} else {
  await main();
}

function report(started, extra) {
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, ...extra })}\n`);
}

function runChild(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [self, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

async function main() {
  const mb = Number(process.env.BENCH_UPLOAD_MB ?? 2048);
  const chunkMiB = Number(process.env.BENCH_UPLOAD_CHUNK_MIB ?? 8);
  const bytes = mb * 1024 * 1024;
  const dir = await mkdtemp(join(tmpdir(), 'castline-bench-upload-'));
  const file = join(dir, 'sparse.mp4');
  const handle = await open(file, 'w');
  await handle.truncate(bytes); // sparse: no disk space used, reads are fast zeros
  await handle.close();

  const servers = spawn(process.execPath, [self, 'servers'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  const first = await new Promise((resolve) => {
    let buf = '';
    servers.stdout.setEncoding('utf8').on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        if (line.env) resolve(line);
        else lines.push(line);
      }
    });
  });
  try {
    console.log(`uploading a ${mb} MB sparse file over loopback (${chunkMiB} MiB chunks), best of ${Number(process.env.BENCH_UPLOAD_RUNS ?? 2)} interleaved runs`);
    // Interleaved runs, best of each: the machine is shared, so single runs are noisy.
    const runs = Number(process.env.BENCH_UPLOAD_RUNS ?? 2);
    const best = (a, b) => (!a || b.seconds < a.seconds ? { ...b, maxRssMB: Math.max(b.maxRssMB, a?.maxRssMB ?? 0) } : { ...a, maxRssMB: Math.max(a.maxRssMB, b.maxRssMB) });
    let rawHttp, rawFetch, castline;
    for (let i = 0; i < runs; i++) {
      rawHttp = best(rawHttp, await runChild(['raw', first.raw, file, String(bytes)]));
      rawFetch = best(rawFetch, await runChild(['raw-fetch', first.raw, file, String(bytes)]));
      castline = best(castline, await runChild(['castline', file, String(bytes), String(chunkMiB)], { ...first.env, XDG_CONFIG_HOME: dir }));
    }
    // The baseline is the faster of the two plain PUTs.
    const raw = rawHttp.seconds < rawFetch.seconds ? rawHttp : rawFetch;
    const expected = raw.digest;
    const uploaded = lines.at(-1)?.video;
    const rate = (r) => mb / r.seconds;
    const ratio = rate(castline) / rate(raw);
    console.log(`raw PUT, node:http:        ${rawHttp.seconds.toFixed(2)} s  ${rate(rawHttp).toFixed(0)} MB/s  peak RSS ${rawHttp.maxRssMB.toFixed(0)} MB`);
    console.log(`raw PUT, fetch:            ${rawFetch.seconds.toFixed(2)} s  ${rate(rawFetch).toFixed(0)} MB/s  peak RSS ${rawFetch.maxRssMB.toFixed(0)} MB`);
    console.log(`castline resumable upload: ${castline.seconds.toFixed(2)} s  ${rate(castline).toFixed(0)} MB/s  peak RSS ${castline.maxRssMB.toFixed(0)} MB`);
    console.log(`throughput: ${(ratio * 100).toFixed(0)} % of raw (target ≥ 80 %); peak RSS ${castline.maxRssMB.toFixed(0)} MB (target ≤ 200 MB)`);
    console.log(`uploaded bytes' sha256 ${uploaded === expected ? 'matches' : 'DOES NOT match'} the file`);
    if (uploaded !== expected || rawFetch.digest !== rawHttp.digest) process.exitCode = 1;
  } finally {
    servers.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
