import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReporter } from '../../../src/core/reporter.js';
import { EpisodeBuildSchema, type EpisodeBuild } from '../../../src/records/build-record.js';
import { buildShow } from '../../../src/pipeline/build-show.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { requireTool } from '../../helpers/cli.js';
import { EPISODE, SCRIPT, expectOnTarget, makeMediaShow, type MediaShow } from './media-show.js';

/**
 * `castline build` with cleanup on (issue 14): three takes — a home recording (hum at 50 Hz,
 * noise, rumble, a quieter paragraph, 8 s of silence at each end), one with 60 Hz hum, one
 * clean — are cleaned one by one before they are joined. Checked: the report names what was
 * found and what was cut, the MP3 is as long as the takes minus the cuts (ffprobe, soxi), the
 * chapters follow the trimmed takes, and the episode's override switches a setting off.
 */

const hasTools = requireTool('espeak-ng') && requireTool('sox');

function soxiSeconds(file: string): number {
  return Number(spawnSync('soxi', ['-D', file], { encoding: 'utf8' }).stdout.trim());
}
function probeSeconds(file: string): number {
  const r = spawnSync(getBinaries().ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

describe.skipIf(!hasTools)('castline build with cleanup', () => {
  let show: MediaShow;
  let record: EpisodeBuild;
  let log = '';
  let json: { episodes: { cleanup?: unknown }[] };
  const dist = (f: string): string => join(show.root, 'dist', 'episodes', EPISODE, f);

  beforeAll(async () => {
    show = await makeMediaShow(
      { 'intro.wav': 'cleanup-home.wav', 'news.wav': 'cleanup-hum60.wav', 'outro.wav': 'take-outro.wav' },
    );
    const yaml = readFileSync(join(show.root, 'show.yaml'), 'utf8');
    await writeFile(join(show.root, 'show.yaml'), yaml.replace(/^audio:\n/m, 'audio:\n  cleanup:\n    denoise: medium\n    leveler: true\n    trimSilence: true\n'));
    const stderr = new Writable({ write: (c, _e, cb) => ((log += String(c)), cb()) });
    let out = '';
    const stdout = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
    const reporter = createReporter({ json: true, stderr, stdout });
    const result = await buildShow({ root: show.root, episodes: [], force: false, reporter, readScript: async () => SCRIPT });
    reporter.result(result);
    json = JSON.parse(out);
    record = EpisodeBuildSchema.parse(JSON.parse(readFileSync(dist('build.json'), 'utf8')));
  }, 120_000);
  afterAll(() => show?.cleanup());

  it('reports per take what it found and did, in build.json, the --json summary and the text log', () => {
    const c = record.cleanup!;
    expect(c.mode).toBe('rendered');
    expect(c.takes.map((t) => t.hum?.found)).toEqual([50, 60, undefined]);
    expect(c.takes[0]!.trimmedSeconds).toBeGreaterThan(14);
    expect(c.takes[0]!.noiseFloorDb!.before - c.takes[0]!.noiseFloorDb!.after!).toBeGreaterThanOrEqual(6);
    expect(c.takes[0]!.lra!.after!).toBeLessThan(c.takes[0]!.lra!.before!);
    expect(json.episodes[0]!.cleanup).toEqual(c);
    expect(log).toMatch(/cleanup \S*audio\/intro\.wav: high-pass 80 Hz; hum found at 50 Hz, notched .*noise floor in pauses -\d+\.\d → -\d+\.\d dBFS; denoise medium; leveler .*LRA .* LU; trimmed \d+\.\d s/);
  });

  it('the MP3 is the takes minus the cuts, and the chapters follow the trimmed takes', () => {
    const originals = ['intro.wav', 'news.wav', 'outro.wav'].map((f) => soxiSeconds(join(show.episodeDir, 'audio', f)));
    const trimmed = record.cleanup!.takes.reduce((n, t) => n + t.trimmedSeconds, 0);
    const mp3 = probeSeconds(dist(`${EPISODE}.mp3`));
    expect(Math.abs(mp3 - (originals.reduce((a, b) => a + b, 0) - trimmed))).toBeLessThanOrEqual(0.15);
    const firstTake = originals[0]! - record.cleanup!.takes[0]!.trimmedSeconds;
    expect(record.chapters[1]!.startTime).toBeCloseTo(firstTake, 1);
    expect(record.chapters.at(-1)!.endTime).toBeCloseTo(mp3, 0);
  });

  it('lands the MP3 and the MP4 within ±0.3 LU of the target and under the true-peak ceiling (about 10 dB of limiting)', () => {
    expect(record.loudness['limitingDb']).toBeGreaterThan(6);
    for (const f of [`${EPISODE}.mp3`, `${EPISODE}.mp4`]) expectOnTarget(dist(f));
  });

  it("an episode's audio.cleanup overrides the show's (trimSilence off: nothing cut)", async () => {
    await writeFile(join(show.episodeDir, 'episode.yaml'), `${readFileSync(join(show.episodeDir, 'episode.yaml'), 'utf8')}audio:\n  cleanup:\n    trimSilence: false\n`);
    await buildShow({ root: show.root, episodes: [], force: false, reporter: createReporter({ quiet: true }), readScript: async () => SCRIPT });
    const again = EpisodeBuildSchema.parse(JSON.parse(readFileSync(dist('build.json'), 'utf8')));
    expect(again.cleanup!.takes.every((t) => t.trimmedSeconds === 0)).toBe(true);
    expect(again.steps.find((s) => s.output === 'mp3')?.action).toBe('build');
    const originals = ['intro.wav', 'news.wav', 'outro.wav'].map((f) => soxiSeconds(join(show.episodeDir, 'audio', f)));
    expect(Math.abs(probeSeconds(dist(`${EPISODE}.mp3`)) - originals.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(0.15);
  });
});
