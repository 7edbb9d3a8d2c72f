import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CLI, REPO_ROOT, makeTempShow, requireTool, runCli } from '../../helpers/cli.js';
import { MOTO_CREDENTIALS, startMoto, type RunningServer } from '../../helpers/servers.js';
import { FakeYouTube } from '../../fake-youtube/fake-youtube-server.mjs';
import { makeShardShow } from '../shards/shard-show.js';

/**
 * `castline ci github|gitlab|k8s` (issue 18): the files are checked by real validators —
 * action-validator (GitHub's workflow schema, npm @action-validator/cli 0.6.0) and GitLab's
 * CI JSON schema (test/fixtures/ci/gitlab-ci.schema.json, taken from the gitlab-ci-local 4.75.1
 * npm package, which bundles GitLab's ci.json) with ajv — and the GitHub workflow's publish
 * job is run step by step (its `run:` scripts, with the env it maps from secrets) against the
 * local fake YouTube and moto_server.
 */

const VALIDATOR = join(REPO_ROOT, 'node_modules', '.bin', 'action-validator');
const BUCKET = 'castline-ci-test';

/**
 * The CDN in front of the bucket (README: "or put CloudFront in front"): answers GET and HEAD
 * (with Range) from the deployed objects through signed S3 calls, so publish's verify reads
 * what is really on the S3 server (moto does not apply bucket policies to HEAD).
 */
async function startBucketFront(endpoint: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  const server = createServer((req, res) => {
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, ''));
    const range = req.headers.range;
    const send = async (): Promise<void> => {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...(range ? { Range: range } : {}) }));
        const body = Buffer.from(await out.Body!.transformToByteArray());
        res.writeHead(range ? 206 : 200, {
          'Content-Type': out.ContentType ?? 'application/octet-stream',
          'Content-Length': String(body.length),
          'Accept-Ranges': 'bytes',
          ...(out.ContentRange ? { 'Content-Range': out.ContentRange } : {}),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404).end();
      }
    };
    void send();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((r) => { s3.destroy(); server.close(() => r()); }) };
}

function runStep(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 480_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? 1, stdout, stderr });
    });
  });
}

async function s3Show(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const show = await makeTempShow({ episodes: false });
  const config = parse(await readFile(join(show.root, 'show.yaml'), 'utf8')) as Record<string, any>;
  config['deploy'] = { target: 's3', bucket: BUCKET, region: 'us-east-1', endpoint: 'https://s3.example.org', forcePathStyle: true };
  await writeFile(join(show.root, 'show.yaml'), stringify(config));
  return show;
}

describe('castline ci: the generated files', () => {
  let show: Awaited<ReturnType<typeof s3Show>>;
  beforeAll(async () => {
    show = await s3Show();
  });
  afterAll(() => show?.cleanup());

  it('github: a workflow action-validator accepts, with the secrets castline reads, and no overwrite without --force', async () => {
    const r = await runCli(['ci', 'github', '--json'], { cwd: show.root });
    expect(r.code, r.stderr).toBe(0);
    const file = join(show.root, '.github', 'workflows', 'castline.yml');
    const v = spawnSync(VALIDATOR, [file], { encoding: 'utf8' });
    expect(v.status, `${v.stdout}${v.stderr}`).toBe(0);
    const wf = parse(readFileSync(file, 'utf8')) as Record<string, any>;
    expect(wf['on'].push.branches).toEqual(['main']);
    expect(wf['on'].schedule[0].cron).toBe('0 6 * * 1');
    expect(wf['concurrency']).toEqual({ group: 'castline-publish', 'cancel-in-progress': false });
    const publish = wf['jobs'].publish.steps.find((s: any) => s.name === 'Publish');
    expect(Object.keys(publish.env).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'CASTLINE_YOUTUBE_CLIENT_ID', 'CASTLINE_YOUTUBE_CLIENT_SECRET', 'CASTLINE_YOUTUBE_REFRESH_TOKEN']);
    expect(publish.env.AWS_ACCESS_KEY_ID).toBe('${{ secrets.AWS_ACCESS_KEY_ID }}');
    expect(JSON.parse(r.stdout).secrets).toContain('CASTLINE_YOUTUBE_REFRESH_TOKEN');
    // A broken workflow is caught by the same validator (so the check above can fail).
    await writeFile(join(show.root, 'bad.yml'), readFileSync(file, 'utf8').replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest'));
    expect(spawnSync(VALIDATOR, [join(show.root, 'bad.yml')]).status).not.toBe(0);

    const again = await runCli(['ci', 'github'], { cwd: show.root });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('.github/workflows/castline.yml already exists; castline ci does not replace it without --force');
    expect((await runCli(['ci', 'github', '--matrix', '3', '--force'], { cwd: show.root })).code).toBe(0);
    const matrix = parse(readFileSync(file, 'utf8')) as Record<string, any>;
    expect(spawnSync(VALIDATOR, [file]).status).toBe(0);
    expect(matrix['jobs'].build.strategy.matrix.shard).toEqual([1, 2, 3]);
    expect(matrix['jobs'].build.steps.map((s: any) => s.run).filter(Boolean)).toContain('castline build --shard ${{ matrix.shard }}/3');
    expect(matrix['jobs'].publish.needs).toBe('build');
  });

  it('gitlab: valid against GitLab\'s CI schema, with parallel shards and one resource group', async () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'ci', 'gitlab-ci.schema.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    for (const args of [['ci', 'gitlab'], ['ci', 'gitlab', '--matrix', '4', '--force']]) {
      const r = await runCli(args, { cwd: show.root });
      expect(r.code, r.stderr).toBe(0);
      const doc = parse(readFileSync(join(show.root, '.gitlab-ci.yml'), 'utf8')) as Record<string, any>;
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc['publish'].resource_group).toBe('castline-publish');
      expect(doc['publish'].script).toContain('castline publish');
    }
    const doc = parse(readFileSync(join(show.root, '.gitlab-ci.yml'), 'utf8')) as Record<string, any>;
    expect(doc['build'].parallel).toBe(4);
    expect(doc['build'].script).toContain('castline build --shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"');
    // The schema rejects what GitLab would (so the check above can fail).
    expect(validate({ ...doc, publish: { ...doc['publish'], parallel: 'many' } })).toBe(false);
  });

  it('k8s: an Indexed Job whose pods run shards 1..N from JOB_COMPLETION_INDEX', async () => {
    const r = await runCli(['ci', 'k8s', '--matrix', '3'], { cwd: show.root });
    expect(r.code, r.stderr).toBe(0);
    const job = parse(readFileSync(join(show.root, 'k8s', 'castline-build-job.yaml'), 'utf8')) as Record<string, any>;
    expect([job['apiVersion'], job['kind']]).toEqual(['batch/v1', 'Job']);
    expect(job['spec']).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
    const pod = job['spec'].template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: 'castline-secrets' } }]);
    const [sh, flag, script] = pod.containers[0].command as string[];
    expect([sh, flag]).toEqual(['sh', '-c']);
    // Run the pod's real shell line with `npm` and `castline` replaced by recorders: each
    // index the Job controller sets gives its own shard.
    const bin = await mkdtemp(join(tmpdir(), 'castline-k8s-'));
    await writeFile(join(bin, 'npm'), '#!/bin/sh\necho "npm $*" >> "$LOG"\n');
    await writeFile(join(bin, 'castline'), '#!/bin/sh\necho "castline $*" >> "$LOG"\n');
    await chmod(join(bin, 'npm'), 0o755);
    await chmod(join(bin, 'castline'), 0o755);
    for (const index of [0, 1, 2]) execFileSync('sh', ['-c', script!], { env: { PATH: `${bin}:/usr/bin:/bin`, JOB_COMPLETION_INDEX: String(index), LOG: join(bin, 'log') } });
    expect(readFileSync(join(bin, 'log'), 'utf8').split('\n').filter((l) => l.startsWith('castline'))).toEqual(['castline build --shard 1/3', 'castline build --shard 2/3', 'castline build --shard 3/3']);
    const publish = parse(readFileSync(join(show.root, 'k8s', 'castline-publish-job.yaml'), 'utf8')) as Record<string, any>;
    expect(publish['spec'].template.spec.containers[0].command[2]).toMatch(/&& castline publish$/);
    await rm(bin, { recursive: true, force: true });
  });
});

describe.skipIf(!requireTool('moto_server') || !requireTool('espeak-ng'))('the GitHub workflow\'s publish job, run step by step', () => {
  let moto: RunningServer & { endpoint: string };
  let fake: FakeYouTube;
  let front: Awaited<ReturnType<typeof startBucketFront>>;
  let base: string;
  let show: Awaited<ReturnType<typeof makeShardShow>>;
  beforeAll(async () => {
    moto = await startMoto();
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    front = await startBucketFront(moto.endpoint);
    s3.destroy();
    fake = await new FakeYouTube().start();
    base = await mkdtemp(join(tmpdir(), 'castline-ci-run-'));
    show = await makeShardShow({ count: 1, perShard: 2 });
  }, 120_000);
  afterAll(async () => {
    await fake?.stop();
    await front?.close();
    await moto?.stop();
    await show?.cleanup();
    await rm(base, { recursive: true, force: true });
  });

  it('publishes to YouTube and S3 and commits published.yaml back, with the secrets as the workflow maps them', async () => {
    const config = parse(await readFile(join(show.root, 'show.yaml'), 'utf8')) as Record<string, any>;
    config['deploy'] = { target: 's3', bucket: BUCKET, region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true };
    config['youtube'] = { ...config['youtube'], chunkMiB: 1, processingWaitSeconds: 0 };
    await writeFile(join(show.root, 'show.yaml'), stringify(config));
    await writeFile(join(show.root, '.gitignore'), 'dist/\n');
    expect((await runCli(['ci', 'github'], { cwd: show.root })).code).toBe(0);
    // The host's repository, pushed to a bare remote; CI starts from a fresh clone of it.
    const remote = join(base, 'remote.git');
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd, encoding: 'utf8' });
    git(base, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
    git(show.root, 'init', '--quiet', '--initial-branch=main');
    git(show.root, 'add', '-A');
    git(show.root, 'commit', '--quiet', '-m', 'show');
    git(show.root, 'push', '--quiet', remote, 'main');
    const checkout = join(base, 'checkout');
    git(base, 'clone', '--quiet', remote, checkout);

    const wf = parse(readFileSync(join(checkout, '.github', 'workflows', 'castline.yml'), 'utf8')) as Record<string, any>;
    // `castline` on PATH is this repository's CLI (the install step itself, npm install -g, is
    // tested in test/e2e/package); the secrets are the fake's and moto's.
    const bin = join(base, 'bin');
    await mkdir(bin);
    await symlink(CLI, join(bin, 'castline'));
    const secrets: Record<string, string> = { ...fake.env(), ...MOTO_CREDENTIALS };
    const baseEnv = {
      ...process.env,
      PATH: `${bin}:${process.env['PATH']}`,
      CI: 'true',
      RUNNER_TEMP: base,
      XDG_CONFIG_HOME: join(base, 'config'),
      CASTLINE_YOUTUBE_ROOT_URL: fake.env().CASTLINE_YOUTUBE_ROOT_URL,
      CASTLINE_OAUTH_TOKEN_URL: fake.env().CASTLINE_OAUTH_TOKEN_URL,
      CASTLINE_VERIFY_BASE_URL: front.origin,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
      GIT_AUTHOR_NAME: 'ci', GIT_COMMITTER_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.org', GIT_COMMITTER_EMAIL: 'ci@example.org',
    };
    for (const k of Object.keys(secrets)) delete (baseEnv as Record<string, unknown>)[k.startsWith('CASTLINE_YOUTUBE_CLIENT') || k.startsWith('CASTLINE_YOUTUBE_REFRESH') || k.startsWith('AWS_ACCESS') || k.startsWith('AWS_SECRET') ? k : '_'];
    // The publish job's own run steps, in a fresh clone, as a runner would run them.
    const runPublishJob = async (dir: string): Promise<string[]> => {
      const ran: string[] = [];
      for (const step of wf['jobs'].publish.steps as { name?: string; run?: string; env?: Record<string, string> }[]) {
        if (!step.run || step.name === 'Install castline') continue;
        const env: Record<string, string | undefined> = { ...baseEnv };
        for (const [k, v] of Object.entries(step.env ?? {})) {
          const m = /^\$\{\{ secrets\.(\w+) \}\}$/.exec(v);
          expect(m, `${k}: ${v}`).not.toBeNull();
          expect(secrets[m![1]!], `no test value for secret ${m![1]}`).toBeDefined();
          env[k] = secrets[m![1]!];
        }
        // Asynchronously: the fake YouTube answers from this process's event loop.
        const r = await runStep(step.run, dir, env);
        expect(r.status, `${step.name}: ${r.stdout}\n${r.stderr.slice(-4000)}`).toBe(0);
        ran.push(step.name ?? step.run);
      }
      return ran;
    };
    const ran = await runPublishJob(checkout);
    expect(ran).toEqual(['Publish', 'Commit published.yaml']);
    expect(fake.count('videos.insert')).toBe(2);
    // The feed is on the S3 server and names both episodes.
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
    const feed = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'feed.xml' }))).Body!.transformToString();
    s3.destroy();
    for (const id of show.ids) expect(feed).toContain(`${id}.mp3`);
    // The ledgers came back to the repository in one commit, with the YouTube ids.
    const log = git(remote, 'log', '--format=%s', 'main');
    expect(log.split('\n')[0]).toBe('castline publish: published.yaml [skip ci]');
    const files = git(remote, 'show', '--name-only', '--format=', 'main').trim().split('\n');
    for (const id of show.ids) expect(files).toContain(`episodes/${id}/published.yaml`);
    for (const id of show.ids) expect(parse(git(remote, 'show', `main:episodes/${id}/published.yaml`))['youtube'].videoId).toBeTruthy();
    expect(existsSync(join(checkout, 'dist', 'feed.xml'))).toBe(true);

    // Next week: the host pulls, adds one episode and pushes; CI starts again from a fresh clone
    // (no dist/). Only the new episode is encoded and uploaded: the others are kept on the target.
    const host = join(base, 'host');
    git(base, 'clone', '--quiet', remote, host);
    const newId = '2025-01-03-week-new';
    await cp(join(host, 'episodes', show.ids[0]!), join(host, 'episodes', newId), { recursive: true });
    await rm(join(host, 'episodes', newId, 'published.yaml'));
    await writeFile(join(host, 'episodes', newId, 'episode.yaml'), `title: Week new\nnumber: ${show.ids.length + 1}\n`);
    git(host, 'add', '-A');
    git(host, 'commit', '--quiet', '-m', 'new episode');
    git(host, 'push', '--quiet', 'origin', 'main');
    const before = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
    const mp3Stamp = async (client: S3Client, id: string) => {
      const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `episodes/${id}/${id}.mp3` }));
      return `${head.ETag} ${head.LastModified?.toISOString()}`;
    };
    const stamps = await Promise.all(show.ids.map((id) => mp3Stamp(before, id)));
    const week2 = join(base, 'checkout-2');
    git(base, 'clone', '--quiet', remote, week2);
    expect(await runPublishJob(week2)).toEqual(['Publish', 'Commit published.yaml']);
    expect(fake.count('videos.insert')).toBe(show.ids.length + 1);
    // The deployed episodes were neither encoded here (no MP3 was written in dist/) nor sent again.
    for (const id of show.ids) expect(existsSync(join(week2, 'dist', 'episodes', id, `${id}.mp3`)), id).toBe(false);
    expect(existsSync(join(week2, 'dist', 'episodes', newId, `${newId}.mp3`))).toBe(true);
    expect(await Promise.all(show.ids.map((id) => mp3Stamp(before, id)))).toEqual(stamps);
    const feed2 = await (await before.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'feed.xml' }))).Body!.transformToString();
    before.destroy();
    for (const id of [...show.ids, newId]) expect(feed2).toContain(`${id}.mp3`);
    expect(parse(git(remote, 'show', `main:episodes/${newId}/published.yaml`))['youtube'].videoId).toBeTruthy();
  }, 600_000);
});
