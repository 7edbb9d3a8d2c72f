import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse, stringify } from 'yaml';
import { sha256 } from '../../../src/core/hash.js';
import { requireTool, runCli } from '../../helpers/cli.js';
import { MOTO_CREDENTIALS, startMoto, startSshd, type RunningServer } from '../../helpers/servers.js';
import { distHashes, makeDeployShow } from './deploy-show.js';

// kill -9 at every write of a deploy (CASTLINE_TEST_KILL_AFTER=N: the CLI SIGKILLs itself after
// its Nth completed write to the target), against real S3 (moto) and SFTP (sshd) servers. After
// each kill the live feed must parse and name only files that are there with the bytes it
// declares; after the rerun every remote file equals the local one.
const KILL_POINTS = 12;

interface Remote {
  read(rel: string): Promise<Buffer | undefined>;
}

async function checkLiveFeedWhole(remote: Remote): Promise<void> {
  const feed = await remote.read('feed.xml');
  if (!feed) return; // nothing live yet: nothing that can be broken
  const xml = feed.toString('utf8');
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => n === 'item' }).parse(xml) as { rss: { channel: { item: { enclosure: { '@url': string; '@length': string } }[] } } };
  for (const item of doc.rss.channel.item) {
    const rel = item.enclosure['@url'].replace('https://example.org/mlaisu/', '');
    const bytes = await remote.read(rel);
    expect(bytes, `${rel} named by the live feed`).toBeDefined();
    expect(bytes!.length).toBe(Number(item.enclosure['@length']));
  }
}

async function crashAndRecover(root: string, env: NodeJS.ProcessEnv, remote: Remote): Promise<void> {
  // First a whole deploy, then a change to every episode so the next deploy replaces files
  // (old feed live, new media going up): each kill point interrupts that second deploy.
  const first = await runCli(['deploy'], { cwd: root, env });
  expect(first.code, first.stderr).toBe(0);
  const showYaml = join(root, 'show.yaml');
  const config = parse(await readFile(showYaml, 'utf8')) as Record<string, unknown>;
  for (let point = 1; point <= KILL_POINTS; point++) {
    await writeFile(showYaml, stringify({ ...config, title: `ML & AI Safety Update, take ${point}` }));
    // New bytes (same sizes, so the built feed's lengths hold) for every media file of both
    // episodes, as well as new pages: 10 media + 3 pages + the feed + 2 record writes.
    for (const id of ['2023-01-13-mlaisu', '2023-01-20-mlaisu']) {
      for (const name of [`${id}.mp3`, `${id}.mp4`, 'thumbnail.jpg', 'transcript.vtt']) {
        const file = join(root, 'dist', 'episodes', id, name);
        const data = await readFile(file);
        data[data.length - 1] = (data[data.length - 1]! + point) % 256;
        await writeFile(file, data);
      }
    }
    const killed = await runCli(['deploy'], { cwd: root, env: { ...env, CASTLINE_TEST_KILL_AFTER: String(point) } });
    expect(killed.code, `kill point ${point}: ${killed.stderr}`).toBe(128);
    await checkLiveFeedWhole(remote);
  }
  const rerun = await runCli(['deploy', '--json'], { cwd: root, env });
  expect(rerun.code, rerun.stderr).toBe(0);
  await checkLiveFeedWhole(remote);
  for (const [rel, hash] of await distHashes(root)) {
    const bytes = await remote.read(rel);
    expect(bytes && sha256(bytes), rel).toBe(hash);
  }
  const again = await runCli(['deploy', '--json'], { cwd: root, env });
  expect((JSON.parse(again.stdout) as { uploaded: string[] }).uploaded).toEqual([]);
}

describe.skipIf(!requireTool('moto_server'))('kill -9 during an S3 deploy', () => {
  let moto: RunningServer & { endpoint: string };
  let s3: S3Client;
  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'castline-crash' }));
  }, 60_000);
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  it(`leaves the old feed whole at each of ${KILL_POINTS} kill points, and the rerun finishes the job`, async () => {
    const show = await makeDeployShow({ target: 's3', bucket: 'castline-crash', endpoint: moto.endpoint, forcePathStyle: true });
    const remote: Remote = {
      read: async (rel) => {
        try {
          const out = await s3.send(new GetObjectCommand({ Bucket: 'castline-crash', Key: rel }));
          return Buffer.from(await out.Body!.transformToByteArray());
        } catch {
          return undefined;
        }
      },
    };
    try {
      await crashAndRecover(show.root, { ...MOTO_CREDENTIALS, AWS_EC2_METADATA_DISABLED: 'true' }, remote);
    } finally {
      await show.cleanup();
    }
  }, 600_000);
});

describe.skipIf(!requireTool('sshd', '/usr/sbin/sshd'))('kill -9 during an SFTP deploy', () => {
  it(`leaves the old feed whole at each of ${KILL_POINTS} kill points, and the rerun finishes the job`, async () => {
    const sshd = await startSshd();
    const path = join(sshd.dir, 'www');
    const show = await makeDeployShow({ target: 'sftp', host: '127.0.0.1', port: sshd.port, user: sshd.user, path, hostKey: sshd.fingerprint });
    const remote: Remote = { read: (rel) => readFile(join(path, rel)).catch(() => undefined) };
    try {
      await crashAndRecover(show.root, { CASTLINE_SFTP_KEY: sshd.userKey, SSH_AUTH_SOCK: '' }, remote);
    } finally {
      await show.cleanup();
      await sshd.stop();
    }
  }, 600_000);
});
