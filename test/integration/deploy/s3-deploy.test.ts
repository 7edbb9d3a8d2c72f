import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketCorsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { XMLParser } from 'fast-xml-parser';
import { parse, stringify } from 'yaml';
import { sha256 } from '../../../src/core/hash.js';
import { s3ClientConfig } from '../../../src/deploy/s3-target.js';
import { requireTool, runCli } from '../../helpers/cli.js';
import { MOTO_CREDENTIALS, startMoto, type RunningServer } from '../../helpers/servers.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.mjs';
import { distHashes, makeDeployShow } from './deploy-show.js';

// castline deploy with the real AWS SDK against moto_server (a real S3-protocol server) on a
// random loopback port, through a recording proxy that can also inject 500/503 answers.
const BUCKET = 'castline-deploy-test';
const env = { ...MOTO_CREDENTIALS, AWS_EC2_METADATA_DISABLED: 'true' };

describe.skipIf(!requireTool('moto_server'))('castline deploy to S3 (moto_server)', () => {
  let moto: RunningServer & { endpoint: string };
  let proxy: FaultProxy;
  let s3: S3Client;
  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy(moto.endpoint);
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  }, 60_000);
  afterAll(async () => {
    s3?.destroy();
    await proxy?.close();
    await moto?.stop();
  });

  const objectText = async (key: string): Promise<Buffer> => {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  };

  it('uploads media first and feed.xml last with types and caching, multipart for big files, no checksum headers; a rerun sends nothing', async () => {
    const show = await makeDeployShow({ target: 's3', bucket: BUCKET, prefix: 'podcast', endpoint: proxy.endpoint, forcePathStyle: true, region: 'us-east-1', partSizeMiB: 5 });
    try {
      // 12 MiB: three 5 MiB parts.
      const big = randomBytes(12 * 1024 * 1024);
      await writeFile(join(show.root, 'dist', 'episodes', '2023-01-13-mlaisu', 'big.mp4'), big);
      proxy.reset();
      const run = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { uploaded: string[]; unchanged: number; target: string };
      expect(result.target).toBe(`s3://${BUCKET}/podcast/`);
      const local = await distHashes(show.root);
      // dist/'s files, and each episode's build record beside the deploy record (a clone
      // without dist/ reads it back).
      const records = ['2023-01-13-mlaisu', '2023-01-20-mlaisu'].map((id) => `.castline/builds/${id}.json`);
      expect(new Set(result.uploaded)).toEqual(new Set([...local.keys(), ...records]));
      for (const id of ['2023-01-13-mlaisu', '2023-01-20-mlaisu']) {
        expect((await objectText(`podcast/.castline/builds/${id}.json`)).equals(await readFile(join(show.root, 'dist', 'episodes', id, 'build.json'))), id).toBe(true);
      }

      // Order on the wire: every object PUT before the feed's, the feed before the record.
      const puts = proxy.requests.filter((r) => r.method === 'PUT' && !r.url.includes('uploadId')).map((r) => decodeURIComponent(r.url.split('?')[0]!));
      const feedAt = puts.indexOf(`/${BUCKET}/podcast/feed.xml`);
      expect(feedAt).toBeGreaterThan(0);
      expect(puts.slice(feedAt + 1)).toEqual([`/${BUCKET}/podcast/.castline/deploy.json`]);
      expect(puts.indexOf(`/${BUCKET}/podcast/index.html`)).toBe(feedAt - 1);
      // Multipart: an upload was started for the big file and completed with three parts.
      const parts = proxy.requests.filter((r) => r.method === 'PUT' && r.url.includes('big.mp4') && r.url.includes('partNumber'));
      expect(parts).toHaveLength(3);
      // Checksums "when required": no CRC32 headers or trailers on any upload.
      for (const r of proxy.requests.filter((q) => q.method === 'PUT')) {
        expect(Object.keys(r.headers).filter((h) => h.startsWith('x-amz-checksum') || h === 'x-amz-sdk-checksum-algorithm' || h === 'x-amz-trailer'), r.url).toEqual([]);
      }

      // Every object equals the local file, with the right type and caching.
      for (const [rel, hash] of local) expect(sha256(await objectText(`podcast/${rel}`)), rel).toBe(hash);
      const head = (rel: string) => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `podcast/${rel}` }));
      const feed = await head('feed.xml');
      expect(feed.ContentType).toBe('application/rss+xml; charset=utf-8');
      expect(feed.CacheControl).toBe('public, max-age=300');
      const mp3 = await head('episodes/2023-01-13-mlaisu/2023-01-13-mlaisu.mp3');
      expect(mp3.ContentType).toBe('audio/mpeg');
      expect(mp3.CacheControl).toBe('public, max-age=604800');
      const bigHead = await head('episodes/2023-01-13-mlaisu/big.mp4');
      expect(bigHead.ContentType).toBe('video/mp4');
      expect(bigHead.ContentLength).toBe(big.length);
      expect(bigHead.ETag).toMatch(/-3"$/);
      expect((await head('index.html')).ContentType).toBe('text/html; charset=utf-8');
      expect((await head('episodes/2023-01-13-mlaisu/transcript.vtt')).ContentType).toBe('text/vtt; charset=utf-8');
      expect((await head('.castline/deploy.json')).CacheControl).toBe('no-store');
      expect((await head(records[0]!)).CacheControl).toBe('no-store');
      // Build records go after the media they name and before the feed.
      expect(puts.indexOf(`/${BUCKET}/podcast/${records[0]}`)).toBeLessThan(feedAt);
      expect(puts.indexOf(`/${BUCKET}/podcast/${records[0]}`)).toBeGreaterThan(puts.indexOf(`/${BUCKET}/podcast/episodes/2023-01-13-mlaisu/2023-01-13-mlaisu.mp3`));

      // Nothing changed: only the record is read back; no PUT at all.
      proxy.reset();
      const again = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(again.code, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as { uploaded: string[] }).uploaded).toEqual([]);
      expect(proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);

      // One episode's text changes: its page, the index and the feed go; nothing else.
      const epYaml = join(show.root, 'episodes', '2023-01-20-mlaisu', 'episode.yaml');
      const ep = parse(await readFile(epYaml, 'utf8')) as Record<string, unknown>;
      await writeFile(epYaml, stringify({ ...ep, title: `${String(ep['title'])} (updated)` }));
      const changed = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(changed.code, changed.stderr).toBe(0);
      expect((JSON.parse(changed.stdout) as { uploaded: string[] }).uploaded).toEqual(['episodes/2023-01-20-mlaisu/index.html', 'index.html', 'feed.xml']);
    } finally {
      await show.cleanup();
    }
  }, 180_000);

  it('retries uploads answered 500 or 503 or timed out, and prunes only with deploy.prune, after the feed', async () => {
    const show = await makeDeployShow({ target: 's3', bucket: BUCKET, prefix: 'retry', endpoint: proxy.endpoint, forcePathStyle: true });
    try {
      proxy.reset();
      proxy.fail(1, 503, (r) => r.method === 'PUT' && r.url.includes('.mp3'));
      proxy.fail(1, 500, (r) => r.method === 'PUT' && r.url.includes('feed.xml'));
      // A request that never gets an answer: timed out (3 s here), then sent again.
      proxy.fail(1, undefined, (r) => r.method === 'PUT' && r.url.includes('thumbnail.jpg'));
      const run = await runCli(['deploy', '--json'], { cwd: show.root, env: { ...env, CASTLINE_S3_REQUEST_TIMEOUT_MS: '3000' } });
      expect(run.code, run.stderr).toBe(0);
      expect(proxy.requests.filter((r) => r.fault).map((r) => String(r.fault)).sort()).toEqual(['500', '503', 'hang']);
      // Each faulted file was sent again and got through.
      for (const part of ['.mp3', 'feed.xml', 'thumbnail.jpg']) expect(proxy.requests.filter((r) => r.method === 'PUT' && r.url.includes(part) && !r.fault).length, part).toBeGreaterThan(0);
      for (const [rel, hash] of await distHashes(show.root)) expect(sha256(await objectText(`retry/${rel}`)), rel).toBe(hash);

      const thumb = join(show.root, 'dist', 'episodes', '2023-01-13-mlaisu', 'thumbnail.jpg');
      await rm(thumb);
      const kept = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(kept.code, kept.stderr).toBe(0);
      expect((JSON.parse(kept.stdout) as { stale: string[] }).stale).toEqual(['episodes/2023-01-13-mlaisu/thumbnail.jpg']);
      const showYaml = join(show.root, 'show.yaml');
      const config = parse(await readFile(showYaml, 'utf8')) as { deploy: Record<string, unknown> };
      await writeFile(showYaml, stringify({ ...config, deploy: { ...config.deploy, prune: true } }));
      const dry = await runCli(['deploy', '--dry-run', '--json'], { cwd: show.root, env });
      expect((JSON.parse(dry.stdout) as { deleted: string[] }).deleted).toEqual(['episodes/2023-01-13-mlaisu/thumbnail.jpg']);
      expect(dry.stderr).toContain('- episodes/2023-01-13-mlaisu/thumbnail.jpg');
      const pruned = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(pruned.code, pruned.stderr).toBe(0);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'retry/episodes/2023-01-13-mlaisu/' }));
      expect(listed.Contents?.map((o) => o.Key)).not.toContain('retry/episodes/2023-01-13-mlaisu/thumbnail.jpg');
      expect(listed.Contents?.length).toBeGreaterThan(2);
      const record = JSON.parse((await objectText('retry/.castline/deploy.json')).toString('utf8')) as { files: Record<string, unknown> };
      expect(Object.keys(record.files)).not.toContain('episodes/2023-01-13-mlaisu/thumbnail.jpg');
    } finally {
      await show.cleanup();
    }
  }, 180_000);

  it('--setup puts the CORS rule web players need on the bucket', async () => {
    const show = await makeDeployShow({ target: 's3', bucket: BUCKET, prefix: 'cors', endpoint: moto.endpoint, forcePathStyle: true });
    try {
      const run = await runCli(['deploy', '--setup'], { cwd: show.root, env });
      expect(run.code, run.stderr).toBe(0);
      const cors = await s3.send(new GetBucketCorsCommand({ Bucket: BUCKET }));
      expect(cors.CORSRules?.[0]).toMatchObject({ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'], ExposeHeaders: expect.arrayContaining(['Content-Range', 'Content-Length']) });
      expect(cors.CORSRules?.[0]?.AllowedHeaders).toContain('Range');
    } finally {
      await show.cleanup();
    }
  }, 120_000);

  it('fails before uploading anything when credentials are missing or a bucket does not exist', async () => {
    const show = await makeDeployShow({ target: 's3', bucket: 'castline-no-such-bucket', endpoint: moto.endpoint, forcePathStyle: true });
    try {
      const noCreds = await runCli(['deploy'], { cwd: show.root, env: { AWS_EC2_METADATA_DISABLED: 'true', HOME: show.root, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } });
      expect(noCreds.code).toBe(1);
      expect(noCreds.stderr).toContain('No S3 credentials for s3://castline-no-such-bucket/');
      expect(noCreds.stderr).toContain('AWS_ACCESS_KEY_ID');
      const noBucket = await runCli(['deploy'], { cwd: show.root, env });
      expect(noBucket.code).toBe(1);
      expect(noBucket.stderr).toContain('Bucket s3://castline-no-such-bucket/ does not exist');
      expect(noBucket.stderr).not.toContain('castline failed unexpectedly');
    } finally {
      await show.cleanup();
    }
  }, 120_000);
});

describe.skipIf(!requireTool('moto_server'))('S3 credentials that the server rejects (moto with IAM auth on)', () => {
  it('names the target and the variables, and never prints the secret', async () => {
    const moto = await startMoto({ auth: true });
    const show = await makeDeployShow({ target: 's3', bucket: BUCKET, endpoint: moto.endpoint, forcePathStyle: true });
    try {
      const secret = 'wJalrXUtnFEMI-not-a-real-secret-8d3f';
      const run = await runCli(['deploy', '--debug'], { cwd: show.root, env: { AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1', AWS_SECRET_ACCESS_KEY: secret, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`s3://${BUCKET}/ refused the credentials`);
      expect(run.stderr).toContain('AWS_SECRET_ACCESS_KEY');
      expect(run.stderr + run.stdout).not.toContain(secret);
    } finally {
      await show.cleanup();
      await moto.stop();
    }
  }, 120_000);
});

describe('S3 client settings', () => {
  it('resolves checksum calculation and validation to WHEN_REQUIRED, with no credentials of its own', async () => {
    const client = new S3Client(s3ClientConfig({ bucket: 'b', region: 'auto', endpoint: 'https://acct.r2.cloudflarestorage.com' }, {}));
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    expect(s3ClientConfig({ bucket: 'b' }, {})).not.toHaveProperty('credentials');
    client.destroy();
  });
});
