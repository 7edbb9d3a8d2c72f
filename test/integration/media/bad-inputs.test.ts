import { requireTool } from '../../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildShow } from '../../../src/build/build-show.js';
import { createReporter } from '../../../src/cli/reporter.js';
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
  { name: 'missing intro music', audio: { 'recording.flac': 'recording.flac' }, showYaml: '', message: /assets\/jingle\.wav is missing \(named by show\.yaml → audio\.intro\)/ },
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
      const run = buildShow({ root: show.root, episodes: [], force: false, reporter: createReporter({ quiet: true }), readScript: async () => SCRIPT });
      await expect(run).rejects.toThrow(c.message);
      const dist = join(show.root, 'dist');
      expect(existsSync(dist) ? readdirSync(dist, { recursive: true }) : []).toEqual([]);
    } finally {
      await show.cleanup();
    }
  });

  // root reads any file whatever its mode, so this case can only be checked as another user.
  it.skipIf(process.getuid?.() === 0)('an unreadable file', async () => {
    const show = await makeMediaShow({ 'recording.flac': 'recording.flac' });
    try {
      await chmod(join(show.episodeDir, 'audio', 'recording.flac'), 0o000);
      const run = buildShow({ root: show.root, episodes: [], force: false, reporter: createReporter({ quiet: true }), readScript: async () => SCRIPT });
      await expect(run).rejects.toThrow(new RegExp(`${audioDir}/recording\\.flac cannot be read`));
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
