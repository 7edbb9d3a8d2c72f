import { REPO_ROOT, hasTool, requireTool } from '../../helpers/cli.js';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildShow } from '../../../src/pipeline/build-show.js';
import { createReporter } from '../../../src/core/reporter.js';
import { EPISODE, SCRIPT, makeMediaShow } from './media-show.js';

/**
 * Every bad input stops the build with a message naming the file, before any output is
 * written: dist/ holds nothing afterwards (not even a temp file).
 */
const audioDir = `episodes/${EPISODE}/audio`;

const cases: { name: string; audio: Record<string, string>; showYaml?: string; labels?: string; message: RegExp; setup?: (dir: string) => Promise<void> }[] = [
  { name: 'an empty file', audio: { 'recording.wav': 'empty.wav' }, message: new RegExp(`${audioDir}/recording\\.wav is empty \\(0 bytes\\)`) },
  { name: 'a corrupt file', audio: { 'recording.mp3': 'corrupt.mp3' }, message: new RegExp(`${audioDir}/recording\\.mp3 could not be read as media`) },
  { name: 'a file without audio', audio: { 'recording.ogg': 'not-audio.ogg' }, message: new RegExp(`${audioDir}/recording\\.ogg has no audio in it`) },
  { name: 'an all-silent take', audio: { 'intro.wav': 'take-intro.wav', 'news.wav': 'silent.wav' }, message: new RegExp(`${audioDir}/news\\.wav is silent`) },
  { name: 'a take without a section', audio: { 'intro.wav': 'take-intro.wav', 'bloopers.wav': 'take-news.wav' }, message: new RegExp(`${audioDir}/bloopers\\.wav is a take with no matching section in script\\.md`) },
  { name: 'missing intro music', audio: { 'recording.flac': 'recording.flac' }, showYaml: '', message: /show\.yaml → audio\.intro: assets\/jingle\.wav does not exist/ },
  {
    // A truncated PNG keeps its header, so ffprobe passes it; only decoding finds the damage.
    name: 'a damaged visual (a truncated PNG)',
    audio: { 'recording.flac': 'recording.flac' },
    setup: async (dir) => {
      await mkdir(join(dir, 'visuals'), { recursive: true });
      await writeFile(join(dir, 'visuals', 'news.png'), (await readFile(join(REPO_ROOT, 'assets', 'background.png'))).subarray(0, 3000));
    },
    message: new RegExp(`episodes/${EPISODE}/visuals/news\\.png is a damaged image: it does not decode`),
  },
  {
    name: 'a font that is not a font',
    audio: { 'recording.flac': 'recording.flac' },
    setup: async (dir) => {
      const root = join(dir, '..', '..');
      await writeFile(join(root, 'assets', 'fonts', 'notes.ttf'), 'not a font\n');
      const yaml = join(root, 'show.yaml');
      await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('font: assets/fonts/DejaVuSans-Bold.ttf', 'font: assets/fonts/notes.ttf'));
    },
    message: /show\.yaml → video\.font: assets\/fonts\/notes\.ttf is not a TrueType or OpenType font/,
  },
  { name: 'malformed labels', audio: { 'recording.flac': 'recording.flac' }, labels: '0\t0\tintro\nten\ttwenty\tnews\n', message: new RegExp(`${audioDir}/labels\\.txt line 2 is not an Audacity label`) },
];

describe.skipIf(!requireTool('espeak-ng'))('castline build refuses bad inputs before encoding, naming the file', () => {
  it.each(cases)('$name', async (c) => {
    const show = await makeMediaShow(c.audio);
    try {
      if (c.showYaml !== undefined) {
        const text = (await import('node:fs')).readFileSync(join(show.root, 'show.yaml'), 'utf8').replace('audio:\n', 'audio:\n  intro: assets/jingle.wav\n');
        await writeFile(join(show.root, 'show.yaml'), text);
      }
      if (c.labels) await writeFile(join(show.episodeDir, 'audio', 'labels.txt'), c.labels);
      await c.setup?.(show.episodeDir);
      const run = buildShow({ root: show.root, episodes: [], force: false, reporter: createReporter({ quiet: true }), readScript: async () => SCRIPT });
      await expect(run).rejects.toThrow(c.message);
      const dist = join(show.root, 'dist');
      expect(existsSync(dist) ? readdirSync(dist, { recursive: true }) : []).toEqual([]);
    } finally {
      await show.cleanup();
    }
  });

  // root reads any file whatever its mode: it holds CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
  // (capabilities(7)). Under root (as in CI) the build runs in a child process over the compiled
  // lib/ (npm test builds it) with those two capabilities dropped by setpriv (util-linux): still
  // uid 0, so it reads the checkout wherever it lies, but a mode-000 file is closed to it.
  it('an unreadable file', async () => {
    const show = await makeMediaShow({ 'recording.flac': 'recording.flac' });
    try {
      const file = join(show.episodeDir, 'audio', 'recording.flac');
      await chmod(file, 0o000);
      if (process.getuid?.() !== 0) {
        const run = buildShow({ root: show.root, episodes: [], force: false, reporter: createReporter({ quiet: true }), readScript: async () => SCRIPT });
        await expect(run).rejects.toThrow(new RegExp(`${audioDir}/recording\\.flac cannot be read`));
      } else {
        if (!hasTool('setpriv')) throw new Error('setpriv (util-linux) is needed to run the unreadable-file case as root');
        await writeFile(join(show.root, 'script.json'), JSON.stringify(SCRIPT));
        const lib = pathToFileURL(join(REPO_ROOT, 'lib')).href;
        const code = `
          import { readFileSync } from 'node:fs';
          const { buildShow } = await import('${lib}/pipeline/build-show.js');
          const { createReporter } = await import('${lib}/core/reporter.js');
          const script = JSON.parse(readFileSync(process.argv[1] + '/script.json', 'utf8'));
          try {
            await buildShow({ root: process.argv[1], episodes: [], force: false, reporter: createReporter({ quiet: true }), readScript: async () => script });
            process.exit(0);
          } catch (error) { process.stderr.write(String(error.message)); process.exit(3); }`;
        const drop = '-dac_override,-dac_read_search';
        const child = spawnSync('setpriv', [`--inh-caps=${drop}`, `--bounding-set=${drop}`, process.execPath, '--input-type=module', '-e', code, show.root], { encoding: 'utf8', cwd: show.root });
        expect(child.stderr).toMatch(new RegExp(`${audioDir}/recording\\.flac cannot be read`));
        expect(child.status).toBe(3);
      }
      expect(existsSync(join(show.root, 'dist'))).toBe(false);
    } finally {
      await show.cleanup();
    }
  });

  it('an episode named explicitly without a recording is an error', async () => {
    const show = await makeMediaShow({});
    try {
      await appendFile(join(show.episodeDir, 'audio', 'README.txt'), 'no audio yet');
      const reporter = createReporter({ quiet: true });
      await expect(buildShow({ root: show.root, episodes: [EPISODE], force: false, reporter, readScript: async () => SCRIPT })).rejects.toThrow(`episodes/${EPISODE}/audio/ has no recording yet`);
      expect(existsSync(join(show.root, 'dist', 'episodes'))).toBe(false);
    } finally {
      await show.cleanup();
    }
  });
});
