import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { XMLParser } from 'fast-xml-parser';
import { FakeYouTube } from '../../fake-youtube/fake-youtube-server.mjs';
import { EPISODES, makePublishableShow, readLedger } from './built-episode.js';
import { cli, cliKilledAt, fakeEnv } from './cli-with-fake.js';
import { makeTempShow } from '../../helpers/cli.js';

// Issue 7: the weekly `castline publish` over the whole example show — YouTube, corrections,
// feed and site, local deploy — against FakeYouTube, with the real CLI.
const MiB = 1024 * 1024;
const cleanups: (() => Promise<void>)[] = [];
let template: { root: string; cleanup: () => Promise<void> };
// The clean run's final state (set by the first test), which every interrupted run must reach.
let cleanState: unknown;
beforeAll(async () => {
  template = await makePublishableShow();
});
afterAll(async () => {
  await template.cleanup();
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A fresh copy of the built template show, deploying to its own folder, and a fresh fake. */
async function setup(): Promise<{ fake: FakeYouTube; root: string; deploy: string; env: NodeJS.ProcessEnv }> {
  const fake = await new FakeYouTube().start();
  const root = await mkdtemp(join(tmpdir(), 'castline-weekly-'));
  const deploy = join(root, 'public');
  await cp(template.root, root, { recursive: true });
  const showYaml = join(root, 'show.yaml');
  const config = parse(await readFile(showYaml, 'utf8')) as Record<string, any>;
  config['deploy'] = { target: 'local', path: 'public' };
  await writeFile(showYaml, stringify(config));
  const { env, cleanup } = await fakeEnv(fake);
  cleanups.push(() => fake.stop(), () => rm(root, { recursive: true, force: true }), cleanup);
  return { fake, root, deploy, env };
}

function feedItems(xml: string): { guid: string; description: string; encoded: string }[] {
  const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as { rss: { channel: { item: unknown } } };
  const items = ([] as Record<string, any>[]).concat(doc.rss.channel.item as Record<string, any>);
  return items.map((i) => ({ guid: String(i['guid']?.['#text'] ?? i['guid']), description: String(i['description']), encoded: String(i['content:encoded'] ?? '') }));
}

async function finalState(root: string, fake: FakeYouTube): Promise<unknown> {
  const episodes = [];
  for (const id of EPISODES) {
    const ledger = await readLedger(root, id);
    const mp4 = createHash('sha256').update(await readFile(join(root, 'dist', 'episodes', id, `${id}.mp4`))).digest('hex');
    const video = fake.videos.get(ledger['youtube']?.videoId);
    episodes.push({ id, guid: ledger['guid'], uploaded: video?.sha256 === mp4, session: ledger['youtube']?.uploadSession !== undefined, thumbnail: Boolean(ledger['youtube']?.thumbnailHash), captions: Boolean(ledger['youtube']?.captionsHash) });
  }
  const feed = feedItems(await readFile(join(root, 'dist', 'feed.xml'), 'utf8')).map((i) => i.guid).sort();
  return { episodes, videos: fake.videos.size, feed };
}

describe('castline publish: the weekly flow', () => {
  it('publishes everything, pushes a new correction with exactly one videos.update, then only reads', async () => {
    const { fake, root, deploy, env } = await setup();
    const first = await cli(['publish', '--json'], root, env);
    expect(first.stderr).toContain('summary:');
    expect(first.code).toBe(0);
    expect(fake.count('videos.insert')).toBe(2);
    cleanState = await finalState(root, fake);
    const result = JSON.parse(first.stdout);
    expect(result.episodes.map((e: { state: string }) => e.state)).toEqual(['published', 'published']);
    // The feed links each video and is deployed (feed.xml last, same bytes).
    const feedXml = await readFile(join(root, 'dist', 'feed.xml'), 'utf8');
    for (const id of EPISODES) expect(feedXml).toContain((await readLedger(root, id))['youtube'].videoId);
    expect(await readFile(join(deploy, 'feed.xml'), 'utf8')).toBe(feedXml);
    expect((await readLedger(root, EPISODES[0]))['corrections'].pushedHash).toBeTruthy();

    // A reader writes in; the host adds a correction to this week's episode.
    const yamlPath = join(root, 'episodes', EPISODES[1], 'episode.yaml');
    const episode = parse(await readFile(yamlPath, 'utf8')) as Record<string, any>;
    episode['corrections'] = [{ date: '2023-01-27', text: 'The compiler paper is from DeepMind, not OpenAI.' }];
    await writeFile(yamlPath, stringify(episode));
    const statusOf = async (): Promise<string> => {
      const st = await cli(['status', '--json'], root, env);
      return JSON.parse(st.stdout).episodes.find((e: { episode: string }) => e.episode === EPISODES[1]).corrections;
    };
    expect(await statusOf()).toBe('1 pending');
    const writesBefore = fake.writes().length;
    const inserts = fake.count('videos.insert');
    const second = await cli(['publish'], root, env);
    expect(second.code).toBe(0);
    const writes = fake.writes().slice(writesBefore);
    expect(writes.map((w) => w.op)).toEqual(['videos.update']);
    expect(fake.count('videos.insert')).toBe(inserts);
    const video = fake.videos.get((await readLedger(root, EPISODES[1]))['youtube'].videoId)!;
    expect(video.video.snippet['description']).toMatch(/^CORRECTION \(2023-01-27\): The compiler paper is from DeepMind/);
    expect(video.video.snippet['categoryId']).toBe('28');
    const items = feedItems(await readFile(join(deploy, 'feed.xml'), 'utf8'));
    const guid = (await readLedger(root, EPISODES[1]))['guid'];
    const corrected = items.find((i) => i.guid === guid);
    expect(corrected?.description).toMatch(/Correction.*DeepMind/);
    // The deployed site's episode page carries it too.
    expect(await readFile(join(deploy, 'episodes', EPISODES[1], 'index.html'), 'utf8')).toContain('DeepMind, not OpenAI');
    expect((await readLedger(root, EPISODES[1]))['corrections'].pushedHash).toBeTruthy();
    expect(await statusOf()).toMatch(/^1 pushed /);

    // Third run: nothing changed, so nothing is written anywhere.
    const requestsBefore = fake.requests.length;
    const ledgers = await Promise.all(EPISODES.map((id) => readFile(join(root, 'episodes', id, 'published.yaml'), 'utf8')));
    const third = await cli(['publish'], root, env);
    expect(third.code).toBe(0);
    expect(fake.requests.slice(requestsBefore).filter((r) => !/\.list$|^token$/.test(r.op ?? ''))).toEqual([]);
    expect(await Promise.all(EPISODES.map((id) => readFile(join(root, 'episodes', id, 'published.yaml'), 'utf8')))).toEqual(ledgers);
  });

  it('one episode rejected by YouTube does not stop the others; the summary says where each stands', async () => {
    const { fake, root, env } = await setup();
    fake.failOp('videos.insert', { status: 400, reason: 'invalidTitle', message: 'The request metadata specifies an invalid or empty video title.' });
    const r = await cli(['publish', '--json'], root, env);
    expect(r.code).not.toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.episodes[0]).toMatchObject({ id: EPISODES[0], state: 'not uploaded', error: { code: 'youtube-rejected' } });
    expect(result.episodes[1]).toMatchObject({ id: EPISODES[1], state: 'published' });
    expect(r.stderr).toMatch(/summary:\n {2}2023-01-13-mlaisu: not uploaded — YouTube videos\.insert failed/);
    expect(r.stderr).toContain('hint: shorten episode.yaml title');
    // The feed still went out, linking the one video that exists.
    const feed = await readFile(join(root, 'dist', 'feed.xml'), 'utf8');
    expect(feed).toContain((await readLedger(root, EPISODES[1]))['youtube'].videoId);
    expect(fake.videos.size).toBe(1);
  });

  it.each([
    ['mid-upload of the first episode', { killAt: 2 * MiB }],
    ['the moment YouTube finished the first video (answer never received)', { killOnVideo: 1 }],
    ['the moment YouTube finished the second video', { killOnVideo: 2 }],
  ])('killed %s: the rerun reaches the clean run\'s state', async (_label, when) => {
    expect(cleanState, 'the clean run (first test) must run first').toBeDefined();
    const { fake, root, env } = await setup();
    fake.chunkResponseDelayMs = 100;
    const killed = await cliKilledAt(['publish'], root, env, fake, when);
    expect(killed.killed).toBe(true);
    fake.chunkResponseDelayMs = 0;
    const rerun = await cli(['publish'], root, env);
    expect(rerun.code).toBe(0);
    expect(await finalState(root, fake)).toEqual(cleanState);
    expect(fake.count('videos.insert')).toBe(2);
  });

  it('a build that finds several problems prints every one of them and publishes nothing', async () => {
    // The example show with its recordings, so publish runs the real build first.
    const show = await makeTempShow({ episodes: [...EPISODES] });
    const fake = await new FakeYouTube().start();
    const { env, cleanup } = await fakeEnv(fake);
    cleanups.push(() => fake.stop(), show.cleanup, cleanup);
    const root = show.root;
    const showYaml = join(root, 'show.yaml');
    await writeFile(showYaml, `${await readFile(showYaml, 'utf8')}\ndeploy:\n  target: local\n  path: public\n`);
    // A PNG cut short in each episode: its header still probes, its pixels do not decode.
    const png = await readFile(join(root, 'assets', 'background.png'));
    for (const id of EPISODES) {
      await mkdir(join(root, 'episodes', id, 'visuals'), { recursive: true });
      await writeFile(join(root, 'episodes', id, 'visuals', 'intro.png'), png.subarray(0, 3000));
    }
    const r = await cli(['publish'], root, env);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    for (const id of EPISODES) expect(r.stderr).toContain(`episodes/${id}/visuals/intro.png: is a damaged image`);
    expect(r.stderr).toMatch(/2 problems; nothing was encoded/);
    expect(r.stderr).toContain('state: the build failed, so nothing was published');
    expect(fake.writes()).toEqual([]);
    expect(existsSync(join(root, 'public'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'feed.xml'))).toBe(false);
  });
});
