import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempShow, requireTool, runCli } from '../../helpers/cli.js';
import { fixturePath, SPEECH } from '../../fixtures/media/registry.mjs';

/** The real CLI (`bin/castline.js` → lib/) building a temp show: exit codes, --json, files. */
const ID = '2023-02-10-cli';
const SCRIPT_MD = `# CLI test

## Welcome {#intro}

${SPEECH.intro}

## The news {#news}

${SPEECH.news}

## Goodbye {#outro}

${SPEECH.outro}
`;

/** Every file under `dir` with the SHA-256 of its bytes (and nothing when it does not exist). */
function hashTree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

interface DryRunJson {
  dryRun: boolean;
  episodes: { id: string; status: string; steps?: { output: string; action: string; reason: string; files: string[] }[] }[];
}

interface BuildJson {
  episodes: { id: string; status: string; durationSeconds?: number; loudness?: Record<string, number>; outputs?: { kind: string; path: string; bytes: number }[]; steps?: { output: string; action: string; reason: string }[] }[];
}

describe.skipIf(!requireTool('espeak-ng'))('castline build (CLI)', () => {
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ root, cleanup } = await makeTempShow({ episodes: false }));
    const dir = join(root, 'episodes', ID);
    await mkdir(join(dir, 'audio'), { recursive: true });
    await writeFile(join(dir, 'episode.yaml'), 'title: CLI test episode\nnumber: 9\n');
    await writeFile(join(dir, 'script.md'), SCRIPT_MD);
    for (const id of ['intro', 'news', 'outro']) await copyFile(fixturePath(`take-${id}.wav`), join(dir, 'audio', `${id}.wav`));
    // An episode still being written: skipped, not an error, when building everything.
    await mkdir(join(root, 'episodes', '2023-02-17-later'), { recursive: true });
    await writeFile(join(root, 'episodes', '2023-02-17-later', 'episode.yaml'), 'title: Later\n');
  });
  afterAll(() => cleanup?.());

  it('--dry-run before the first build names every output and why, and writes nothing', async () => {
    const r = await runCli(['build', '--dry-run'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    for (const file of [`${ID}.mp3`, `${ID}.mp4`, 'thumbnail.jpg', 'chapters.json', 'transcript.vtt']) {
      expect(r.stderr).toMatch(new RegExp(`${ID}: would build \\w+ → [^\\n]*dist/episodes/${ID}/${file.replace('.', '\\.')}[^\\n]*\\(not built before\\)`));
    }
    expect(r.stderr).toContain('dry run: nothing was written');
    expect(existsSync(join(root, 'dist'))).toBe(false);
    // Nothing in the show folder either: no GUID assigned, no published.yaml.
    expect(existsSync(join(root, 'episodes', ID, 'published.yaml'))).toBe(false);
  });

  it('builds every output, the feed and the site, and prints one JSON document', async () => {
    const r = await runCli(['build', '--json'], { cwd: root });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as BuildJson;
    const ep = json.episodes.find((e) => e.id === ID);
    expect(ep?.status).toBe('built');
    expect(json.episodes.find((e) => e.id === '2023-02-17-later')?.status).toBe('not recorded yet');
    expect(ep?.outputs?.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['chapters', 'mp3', 'mp4', 'thumbnail']));
    for (const o of ep?.outputs ?? []) expect(o.bytes).toBeGreaterThan(0);
    expect(Math.abs((ep?.loudness?.['mp3Integrated'] ?? 0) - -16)).toBeLessThanOrEqual(1);
    expect(ep?.steps?.every((s) => s.action === 'build')).toBe(true);
    for (const f of [`${ID}.mp3`, `${ID}.mp4`, 'thumbnail.jpg', 'chapters.json', 'build.json']) expect(existsSync(join(root, 'dist', 'episodes', ID, f)), f).toBe(true);
    expect(existsSync(join(root, 'dist', 'feed.xml'))).toBe(true);
    expect(readFileSync(join(root, 'dist', 'feed.xml'), 'utf8')).toContain(`${ID}.mp3`);
    // no temp files left behind
    expect(readdirSync(join(root, 'dist'), { recursive: true }).map(String).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('rebuilds nothing the second time, and everything with --force', async () => {
    const again = await runCli(['build', ID, '--json'], { cwd: root });
    expect(again.code).toBe(0);
    const ep = (JSON.parse(again.stdout) as BuildJson).episodes[0];
    expect(ep?.status).toBe('unchanged');
    expect(again.stderr).toMatch(/up to date/);
    const forced = await runCli(['build', ID, '--force'], { cwd: root });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/: built mp3 \(--force\)/);
  });

  it('--dry-run --json after an edit says what would be rebuilt and why; dist/ stays byte-identical', async () => {
    const yaml = join(root, 'episodes', ID, 'episode.yaml');
    const original = readFileSync(yaml, 'utf8');
    const before = hashTree(join(root, 'dist'));
    const published = readFileSync(join(root, 'episodes', ID, 'published.yaml'), 'utf8');
    expect(Object.keys(before)).toContain(`episodes/${ID}/${ID}.mp3`);
    try {
      await writeFile(yaml, original.replace('title: CLI test episode', 'title: A renamed episode'));
      const r = await runCli(['build', ID, '--dry-run', '--json'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout) as DryRunJson;
      expect(json.dryRun).toBe(true);
      const ep = json.episodes.find((e) => e.id === ID);
      expect(ep?.status).toBe('would build');
      const step = (output: string) => ep?.steps?.find((s) => s.output === output);
      // The title is in the ID3 tags, the MP4's metadata and the thumbnail's card; not in chapters.json.
      for (const output of ['mp3', 'mp4', 'thumbnail']) {
        expect(step(output)?.action, output).toBe('build');
        expect(step(output)?.reason, output).toMatch(/title/);
      }
      expect(step('chapters')).toMatchObject({ action: 'keep', reason: 'unchanged', files: [`dist/episodes/${ID}/chapters.json`] });
      expect(step('mp3')?.files).toEqual([`dist/episodes/${ID}/${ID}.mp3`]);
      expect(step('captions')?.files).toEqual([`dist/episodes/${ID}/transcript.vtt`, `dist/episodes/${ID}/transcript.srt`]);
      expect(hashTree(join(root, 'dist'))).toEqual(before);
      expect(readFileSync(join(root, 'episodes', ID, 'published.yaml'), 'utf8')).toBe(published);
    } finally {
      await writeFile(yaml, original);
    }
  });

  it('fails with the file named, a hint, no stack trace, and dist/ untouched for a stray take', async () => {
    const before = readFileSync(join(root, 'dist', 'episodes', ID, 'build.json'), 'utf8');
    await copyFile(fixturePath('take-news.wav'), join(root, 'episodes', ID, 'audio', 'extra.wav'));
    const r = await runCli(['build'], { cwd: root });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`episodes/${ID}/audio/extra.wav is a take with no matching section in script.md`);
    expect(r.stderr).toMatch(/hint: name each take after a section id \(intro, news, outro\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(root, 'dist', 'episodes', ID, 'build.json'), 'utf8')).toBe(before);
  });

  it('a damaged visual stops the build before any encode, naming the file, and castline check reports it too', async () => {
    await import('node:fs/promises').then((fs) => fs.rm(join(root, 'episodes', ID, 'audio', 'extra.wav'), { force: true }));
    const visual = join(root, 'episodes', ID, 'visuals', 'news.png');
    await mkdir(join(root, 'episodes', ID, 'visuals'), { recursive: true });
    // A PNG cut short: its header still probes, its pixels do not decode.
    await writeFile(visual, readFileSync(join(root, 'assets', 'background.png')).subarray(0, 3000));
    const before = hashTree(join(root, 'dist'));
    try {
      const r = await runCli(['build', '--force'], { cwd: root });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`episodes/${ID}/visuals/news.png is a damaged image: it does not decode`);
      expect(r.stderr).toContain('hint: export it again as PNG or JPEG');
      expect(r.stderr).toContain('state: nothing was encoded; dist/ is unchanged');
      // Not one encode started: no progress line, and every file in dist/ is as it was.
      expect(r.stderr).not.toMatch(/analyse|visual 1\//);
      expect(hashTree(join(root, 'dist'))).toEqual(before);
      const check = await runCli(['check', ID], { cwd: root });
      expect(check.code).toBe(1);
      expect(check.stderr).toContain(`error: episodes/${ID}/visuals/news.png: is a damaged image: it does not decode`);
    } finally {
      await import('node:fs/promises').then((fs) => fs.rm(visual));
    }
  });

  it('aligns captions to the speech only when intro and outro music surround it', async () => {
    await import('node:fs/promises').then((fs) => fs.rm(join(root, 'episodes', ID, 'audio', 'extra.wav'), { force: true }));
    await copyFile(fixturePath('intro-music.wav'), join(root, 'assets', 'music.wav'));
    const yamlPath = join(root, 'show.yaml');
    await writeFile(yamlPath, readFileSync(yamlPath, 'utf8').replace('audio:\n', 'audio:\n  intro: assets/music.wav\n  outro: assets/music.wav\n  crossfade: 1\n'));
    const r = await runCli(['build', ID], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(readFileSync(join(root, 'dist', 'episodes', ID, 'build.json'), 'utf8')) as {
      durationSeconds: number;
      captions?: { cues: number; changedRegions: unknown[] };
    };
    // 3 s of music, 1 s of it under the speech: speech starts at 2 s and ends 2 s before the end.
    expect(record.captions?.cues).toBeGreaterThan(0);
    expect(record.captions?.changedRegions).toEqual([]);
    const vtt = readFileSync(join(root, 'dist', 'episodes', ID, 'transcript.vtt'), 'utf8');
    const times = [...vtt.matchAll(/(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})/g)].map((m) => ({
      start: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000,
      end: Number(m[5]) * 3600 + Number(m[6]) * 60 + Number(m[7]) + Number(m[8]) / 1000,
    }));
    expect(times[0]?.start).toBeGreaterThanOrEqual(1.9);
    // The last cue may stay on screen a little after the last word (reading time), not into the music.
    expect(times[times.length - 1]?.end).toBeLessThanOrEqual(record.durationSeconds - 2 + 0.5);
  });
});
