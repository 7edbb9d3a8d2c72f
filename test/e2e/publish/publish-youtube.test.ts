import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createHash } from 'node:crypto';
import { FakeYouTube } from '../../fake-youtube/fake-youtube-server.mjs';
import { makePublishableShow, readLedger } from './built-episode.js';
import { allFileContents, cli, cliKilledAt, fakeEnv, outputs, secretsOf } from './cli-with-fake.js';

// The real CLI (lib/, built by `npm test`) publishing one built episode to FakeYouTube with
// the real googleapis client. YouTube only (--youtube-only): the feed has its own tests.
const ID = '2023-01-20-mlaisu';
const MiB = 1024 * 1024;
let fake: FakeYouTube;
let show: { root: string; cleanup: () => Promise<void> };
let env: NodeJS.ProcessEnv;
let cleanupEnv: () => Promise<void>;
const seenFakes: FakeYouTube[] = [];
const roots: string[] = [];

const publish = (...extra: string[]) => cli(['publish', ID, '--youtube-only', ...extra], show.root, env);
const mp4Sha = async (): Promise<string> => createHash('sha256').update(await readFile(join(show.root, 'dist', 'episodes', ID, `${ID}.mp4`))).digest('hex');

let builtRecord: string;
beforeAll(async () => {
  show = await makePublishableShow({ episodes: [ID] });
  roots.push(show.root);
  builtRecord = await readFile(join(show.root, 'dist', 'episodes', ID, 'build.json'), 'utf8');
});
afterAll(async () => {
  // No token or secret in any output or any file castline wrote in the show.
  const secrets = seenFakes.flatMap(secretsOf);
  for (const text of outputs) for (const s of secrets) expect(text.includes(s), 'a secret was printed').toBe(false);
  for (const root of roots) {
    for (const f of await allFileContents(root)) for (const s of secrets) expect(f.text.includes(s), `${f.path} holds a secret`).toBe(false);
  }
  await show.cleanup();
});

beforeEach(async () => {
  fake = await new FakeYouTube().start();
  seenFakes.push(fake);
  ({ env, cleanup: cleanupEnv } = await fakeEnv(fake));
  // Each test starts from the freshly "built" episode with no YouTube record.
  await writeFile(join(show.root, 'episodes', ID, 'published.yaml'), stringify({ guid: '00000000-1111-4222-8333-444444444444', createdAt: '2023-01-19T12:00:00.000Z', history: [] }));
});
afterEach(async () => {
  await fake.stop();
  await cleanupEnv();
});

describe('castline publish (YouTube)', () => {
  it('--dry-run prints the plan and quota cost without credentials and changes nothing', async () => {
    const before = await readFile(join(show.root, 'episodes', ID, 'published.yaml'), 'utf8');
    const r = await cli(['publish', ID, '--dry-run', '--json'], show.root, { XDG_CONFIG_HOME: env['XDG_CONFIG_HOME'], CASTLINE_YOUTUBE_ROOT_URL: fake.rootUrl });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.plan.episodes[0].steps.map((s: { kind: string }) => s.kind)).toEqual(['upload', 'thumbnail', 'captions-insert']);
    const meta = json.plan.episodes[0].metadata.resource;
    expect(meta.snippet.description).toContain('0:00 Intro');
    expect(meta.snippet.description).toContain('0:10 Superpositions & ‹Transformers›');
    expect(meta.snippet.description).toContain('https://open.spotify.com/show/example');
    expect(meta.status.selfDeclaredMadeForKids).toBe(false);
    expect(await readFile(join(show.root, 'episodes', ID, 'published.yaml'), 'utf8')).toBe(before);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses to start without credentials, naming castline auth youtube and the variables', async () => {
    const r = await cli(['publish', ID, '--youtube-only'], show.root, { XDG_CONFIG_HOME: env['XDG_CONFIG_HOME'], CASTLINE_YOUTUBE_ROOT_URL: fake.rootUrl, CASTLINE_YOUTUBE_REFRESH_TOKEN: '' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('castline auth youtube');
    expect(r.stderr).toContain('CASTLINE_YOUTUBE_REFRESH_TOKEN');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(fake.requests).toHaveLength(0);
    expect((await readLedger(show.root, ID))['youtube']).toBeUndefined();
  });

  it('uploads the exact MP4 with metadata, thumbnail and captions; a second publish changes nothing', async () => {
    const r = await publish();
    expect(r.stderr).toContain('uploaded to YouTube');
    expect(r.code).toBe(0);
    expect(fake.videos.size).toBe(1);
    const [video] = [...fake.videos.values()];
    expect(video!.sha256).toBe(await mp4Sha());
    expect(video!.video.snippet['title']).toBe('Overfitting in superposition and a compiler for Transformers');
    expect(video!.video.snippet['description']).toContain('[castline:00000000-1111-4222-8333-444444444444]');
    expect(video!.video.status['privacyStatus']).toBe('private');
    expect(fake.thumbnails.has(video!.video.id)).toBe(true);
    expect([...fake.captions.values()][0]!.data.toString()).toMatch(/^WEBVTT/);
    const ledger = await readLedger(show.root, ID);
    expect(ledger['youtube'].videoId).toBe(video!.video.id);
    expect(ledger['youtube'].uploadSession).toBeUndefined();
    expect(r.stderr).toMatch(/uploading: .*MB of .*MB \(100%\)/);

    const before = fake.requests.length;
    const again = await publish();
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('YouTube is up to date');
    expect(fake.requests.length).toBe(before);
    expect(fake.count('videos.insert')).toBe(1);
  });

  it('privacy set to public in episode.yaml after review: one status-only videos.update, no upload', async () => {
    expect((await publish()).code).toBe(0);
    const yamlPath = join(show.root, 'episodes', ID, 'episode.yaml');
    const original = await readFile(yamlPath, 'utf8');
    try {
      await writeFile(yamlPath, `${original.trimEnd()}\nyoutube:\n  privacy: public\n`);
      const dry = await publish('--dry-run');
      expect(dry.stderr).toMatch(/set the video to public \(read the video first: what was set in YouTube Studio stays\) {2}\[videos\.list \+ videos\.update, 51 units\]/);
      const writesBefore = fake.writes().length;
      const r = await publish();
      expect(r.code, r.stderr).toBe(0);
      expect(fake.writes().slice(writesBefore).map((w) => w.op)).toEqual(['videos.update']);
      const [video] = [...fake.videos.values()];
      expect(video!.video.status['privacyStatus']).toBe('public');
      expect(fake.count('videos.insert')).toBe(1);
      const again = await publish();
      expect(again.stderr).toContain('YouTube is up to date');
    } finally {
      await writeFile(yamlPath, original);
    }
  });

  it.each([
    ['after the first chunk', 1 * MiB],
    ['in the middle', 2 * MiB + 300_000],
    ['in the last chunk', 3 * MiB + 100_000],
  ])('a process killed mid-upload (%s) resumes on rerun with no duplicate', async (_label, killAt) => {
    fake.chunkResponseDelayMs = 200;
    const first = await cliKilledAt(['publish', ID, '--youtube-only'], show.root, env, fake, { killAt });
    expect(first.killed, first.stderr).toBe(true);
    const saved = (await readLedger(show.root, ID))['youtube'];
    expect(saved.uploadSession.uri).toMatch(/upload_id=/);
    expect(saved.videoId).toBeUndefined();
    fake.chunkResponseDelayMs = 0;
    const r = await publish();
    expect(r.code).toBe(0);
    expect(fake.count('videos.insert')).toBe(1);
    expect(fake.videos.size).toBe(1);
    expect([...fake.videos.values()][0]!.sha256).toBe(await mp4Sha());
    expect(fake.count('upload.status')).toBeGreaterThanOrEqual(1);
  });

  it('finds a finished but unrecorded upload by its marker when the session expired', async () => {
    expect((await publish()).code).toBe(0);
    const done = await readLedger(show.root, ID);
    const session = fake.requests.find((q) => q.op === 'upload.chunk');
    // Rewind the ledger to "session saved, no video id", as if killed before the last write.
    const uri = `${fake.origin}${session!.path}?uploadType=resumable&upload_id=${session!.query['upload_id']}`;
    done['youtube'] = { uploadSession: { uri, startedAt: '2023-01-20T09:00:00.000Z', fileSha256: await mp4Sha(), bytes: 1, marker: 'castline:00000000-1111-4222-8333-444444444444' } };
    await writeFile(join(show.root, 'episodes', ID, 'published.yaml'), stringify(done));
    fake.expireSessions();
    const r = await publish();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not uploading again');
    expect(fake.count('videos.insert')).toBe(1);
    expect(fake.count('playlistItems.list')).toBe(1);
    expect((await readLedger(show.root, ID))['youtube'].videoId).toBe([...fake.videos.keys()][0]);
  });

  it.each([
    ['quotaExceeded (the videos.insert bucket)', () => (fake.videosInsertLimit = 0), /used up its 100 videos\.insert calls \(uploads\) for today/, /quota resets/],
    ['uploadLimitExceeded', () => fake.failOp('videos.insert', { status: 400, reason: 'uploadLimitExceeded' }), /upload limit/, /24 hours/],
    ['invalidDescription', () => fake.failOp('videos.insert', { status: 400, reason: 'invalidDescription', message: 'The request metadata specifies an invalid video description.' }), /rejected the request \(invalidDescription/, /5000 bytes/],
  ])('%s before the upload: message, non-zero exit, ledger intact', async (_reason, inject, message, hint) => {
    inject();
    const before = await readFile(join(show.root, 'episodes', ID, 'published.yaml'), 'utf8');
    const r = await publish();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(hint);
    expect(r.stderr).toContain('state: every finished step is recorded in published.yaml');
    expect(await readFile(join(show.root, 'episodes', ID, 'published.yaml'), 'utf8')).toBe(before);
    expect(fake.videos.size).toBe(0);
  });

  it('an unverified channel: video, captions and playlist are published, the thumbnail is pending; a later run sets only it', async () => {
    fake.verified = false;
    const r = await publish();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('thumbnail not set');
    expect(r.stderr).toContain('https://www.youtube.com/verify');
    expect(r.stderr).toMatch(/published; thumbnail pending/);
    const ledger = await readLedger(show.root, ID);
    expect(ledger['youtube'].videoId).toBe([...fake.videos.keys()][0]);
    expect(ledger['youtube'].captionsHash).toBeTruthy();
    expect(ledger['youtube'].thumbnailHash).toBeUndefined();
    expect(ledger['youtube'].thumbnailPending.reason).toContain('not verified');
    expect(fake.thumbnails.size).toBe(0);
    expect(fake.captions.size).toBe(1);
    // The host verifies the channel; the next publish sets the thumbnail and nothing else.
    fake.verified = true;
    const writesBefore = fake.writes().length;
    const again = await publish();
    expect(again.code, again.stderr).toBe(0);
    expect(fake.writes().slice(writesBefore).map((w) => w.op)).toEqual(['thumbnails.set']);
    expect(fake.thumbnails.has(ledger['youtube'].videoId)).toBe(true);
    const after = await readLedger(show.root, ID);
    expect(after['youtube'].thumbnailPending).toBeUndefined();
    expect(after['youtube'].thumbnailHash).toBeTruthy();
    expect(fake.count('videos.insert')).toBe(1);
  });

  it('a Studio edit survives a correction: only the description changes, tags/license/category set in Studio stay', async () => {
    expect((await publish()).code).toBe(0);
    const [videoId] = [...fake.videos.keys()];
    fake.studioEdit(videoId!, { snippet: { tags: ['studio-tag'], categoryId: '27' }, status: { license: 'creativeCommon', embeddable: false, publicStatsViewable: false, privacyStatus: 'unlisted' } });
    const yamlPath = join(show.root, 'episodes', ID, 'episode.yaml');
    const original = await readFile(yamlPath, 'utf8');
    try {
      await writeFile(yamlPath, `${original.trimEnd()}\ncorrections:\n  - date: "2023-01-27"\n    text: The compiler paper is from DeepMind.\n`);
      const r = await publish();
      expect(r.code, r.stderr).toBe(0);
      const video = fake.videos.get(videoId!)!.video;
      expect(video.snippet['description']).toMatch(/^CORRECTION \(2023-01-27\): The compiler paper is from DeepMind\./);
      expect(video.snippet['tags']).toEqual(['studio-tag']);
      expect(video.snippet['categoryId']).toBe('27');
      expect(video.snippet['title']).toBe('Overfitting in superposition and a compiler for Transformers');
      expect(video.status).toMatchObject({ license: 'creativeCommon', embeddable: false, publicStatsViewable: false, privacyStatus: 'unlisted' });
      // One read (1 unit) then one snippet-only update (50 units).
      const updates = fake.requests.filter((q) => q.op === 'videos.update');
      expect(updates.map((q) => q.query['part'])).toEqual(['snippet']);
    } finally {
      await writeFile(yamlPath, original);
    }
  });

  it('a video deleted in Studio is reported and recorded, never uploaded again', async () => {
    expect((await publish()).code).toBe(0);
    const [videoId] = [...fake.videos.keys()];
    fake.deleteVideo(videoId!);
    const yamlPath = join(show.root, 'episodes', ID, 'episode.yaml');
    const original = await readFile(yamlPath, 'utf8');
    try {
      await writeFile(yamlPath, `${original.trimEnd()}\nyoutube:\n  privacy: public\n`);
      const r = await publish();
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`the YouTube video ${videoId} no longer exists`);
      expect((await readLedger(show.root, ID))['youtube'].removedAt).toBeTruthy();
      const again = await publish();
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('is gone from YouTube');
      expect(fake.count('videos.insert')).toBe(1);
      expect(fake.videos.size).toBe(0);
    } finally {
      await writeFile(yamlPath, original);
    }
  });

  it.each([
    ['rejected', 'duplicate', { uploadStatus: 'rejected' as const, rejectionReason: 'duplicate' }, /YouTube rejected the upload .* \(duplicate\)/, /already has this video/],
    ['failed', 'codec', { uploadStatus: 'failed' as const, failureReason: 'codec' }, /YouTube failed the upload .* \(codec\)/, /H\.264/],
  ])('a %s upload is reported with YouTube\'s reason, recorded, and not retried', async (status, reason, outcome, message, hint) => {
    fake.uploadOutcomes.push(outcome);
    const r = await publish();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(hint);
    const ledger = await readLedger(show.root, ID);
    expect(ledger['youtube'].processing).toMatchObject({ status, reason });
    // Nothing more is sent to a video YouTube will not show.
    expect(fake.count('thumbnails.set') + fake.count('captions.insert')).toBe(0);
    const again = await publish();
    expect(again.stderr).toContain(`YouTube ${status} the upload`);
    expect(fake.count('videos.insert')).toBe(1);
    expect(fake.videos.size).toBe(1);
  });

  it('the units bucket running out mid-run says so; the upload done before it is kept', async () => {
    // Enough units for the processing check (1) but not the thumbnail (50): the insert bucket is untouched.
    fake.quotaLimit = fake.quotaUsed + 1;
    const r = await publish();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('used up its 10,000 quota units for today (everything but uploads)');
    expect((await readLedger(show.root, ID))['youtube'].videoId).toBe([...fake.videos.keys()][0]);
    fake.quotaLimit = 10_000;
    const again = await publish();
    expect(again.code, again.stderr).toBe(0);
    expect(fake.count('videos.insert')).toBe(1);
  });

  it('the synthetic-media disclosure from show.yaml goes with the upload', async () => {
    expect((await publish()).code).toBe(0);
    expect([...fake.videos.values()][0]!.video.status['containsSyntheticMedia']).toBe(true);
  });

  it('still processing when the wait is over: recorded, and the next publish checks (1 unit) and records the result', async () => {
    fake.processAfterLists = 2;
    const showYaml = join(show.root, 'show.yaml');
    const original = await readFile(showYaml, 'utf8');
    try {
      await writeFile(showYaml, original.replace(/^youtube:\n/m, 'youtube:\n  processingWaitSeconds: 0\n'));
      const r = await publish();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('YouTube is still processing the video; the next castline publish checks on it');
      expect((await readLedger(show.root, ID))['youtube'].processing.status).toBe('processing');
      const dry = await publish('--dry-run');
      expect(dry.stderr).toContain('check whether YouTube finished processing the upload  [videos.list, 1 unit]');
      const again = await publish();
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('YouTube finished processing the video');
      expect((await readLedger(show.root, ID))['youtube'].processing.status).toBe('processed');
      expect(fake.count('videos.insert')).toBe(1);
    } finally {
      await writeFile(showYaml, original);
    }
  });

  it('youtube.playlistId is checked before the first upload: an unknown id stops everything; a real one gets the video', async () => {
    const showYaml = join(show.root, 'show.yaml');
    const original = await readFile(showYaml, 'utf8');
    try {
      await writeFile(showYaml, original.replace(/^youtube:\n/m, 'youtube:\n  playlistId: PLpodcast0001\n'));
      const missing = await publish();
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('show.yaml youtube.playlistId: YouTube has no playlist PLpodcast0001 that this channel can see');
      expect(missing.stderr).toContain('state: nothing was uploaded or changed');
      expect(fake.count('playlists.list')).toBe(1);
      expect(fake.writes()).toEqual([]);
      fake.addPlaylist('PLpodcast0001', 'ML & AI Safety Update (podcast)');
      const r = await publish();
      expect(r.code, r.stderr).toBe(0);
      expect(fake.playlists.get('PLpodcast0001')!.map((i) => i.snippet.resourceId.videoId)).toEqual([...fake.videos.keys()]);
      expect((await readLedger(show.root, ID))['youtube'].playlistId).toBe('PLpodcast0001');
    } finally {
      await writeFile(showYaml, original);
    }
  });

  it('a revoked token: says it was revoked or expired (7-day Testing mode) and what to run; changes nothing', async () => {
    fake.revoked = true;
    const r = await publish('--debug');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('revoked or has expired');
    expect(r.stderr).toContain('7 days');
    expect(r.stderr).toContain('castline auth youtube');
    expect(r.stderr).toContain('state: nothing was uploaded or changed');
    expect((await readLedger(show.root, ID))['youtube']).toBeUndefined();
  });

  it('a built episode without published.yaml gets its GUID first, and the marker carries it', async () => {
    await rm(join(show.root, 'episodes', ID, 'published.yaml'));
    const r = await publish();
    expect(r.code).toBe(0);
    const ledger = await readLedger(show.root, ID);
    expect(ledger['guid']).toMatch(/^[0-9a-f-]{36}$/);
    expect([...fake.videos.values()][0]!.video.snippet['description']).toContain(`[castline:${ledger['guid']}]`);
  });

  it('refuses to run beside another live publish; takes over the lock of a dead one', async () => {
    const lock = join(show.root, 'dist', '.publish.lock');
    await writeFile(lock, `${process.pid}\n`);
    const busy = await publish();
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain(`Another castline publish (process ${process.pid}) is running`);
    expect(fake.requests).toHaveLength(0);
    await writeFile(lock, '999999999\n');
    const r = await publish();
    expect(r.code).toBe(0);
    expect(fake.count('videos.insert')).toBe(1);
    await expect(readFile(lock)).rejects.toThrow();
  });

  it('an episode that is not built is named, with what to do, and nothing is sent', async () => {
    await rm(join(show.root, 'dist', 'episodes', ID, 'build.json'));
    try {
      const r = await publish();
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`Not built yet, so not published: ${ID}`);
      expect(r.stderr).toContain('castline build');
      expect(fake.requests).toHaveLength(0);
    } finally {
      await writeFile(join(show.root, 'dist', 'episodes', ID, 'build.json'), builtRecord);
    }
  });

  it('retries injected 503s and dropped connections during the upload', async () => {
    fake.chunkFaults.push({ status: 503 }, { dropAfter: 300_000 }, {}, { status: 503 });
    const r = await publish();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/retrying in/);
    expect([...fake.videos.values()][0]!.sha256).toBe(await mp4Sha());
  });
});
