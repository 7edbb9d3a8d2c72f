import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildScript } from '../../../src/script/build-script.js';
import { parseScriptMd, readScript } from '../../../src/script/read-script.js';
import { episodeFiles, type EpisodeContext } from '../../../src/config/load-show.js';
import { CastlineError } from '../../../src/core/errors.js';
import { SETTINGS } from './settings.js';
import { findEditedFiles } from '../../../src/script/find-edited-files.js';

const ISSUE = `Opening paragraph about the week, with a link to example.org.

First Topic

Some text about the first topic, which costs $2 / hour.

Second Topic

More text about the second topic.
`;

function generated(): string {
  return buildScript(ISSUE, SETTINGS).scriptMd;
}

describe('script.md round trip', () => {
  it('parses what it generates, unedited, with the same sections', () => {
    const build = buildScript(ISSUE, SETTINGS);
    const doc = parseScriptMd(build.scriptMd, 'script.md');
    expect(doc).toEqual(build.doc);
    expect(doc.edited).toBe(false);
    expect(doc.episodeId).toBe(SETTINGS.episodeId);
    expect(doc.sections.map((s) => s.id)).toEqual(['intro', 'first-topic', 'second-topic', 'outro']);
    expect(doc.sections[1]?.text).toBe('Some text about the first topic, which costs two dollars an hour.');
  });

  it('does not count line endings or trailing blank lines as edits', () => {
    expect(parseScriptMd(`${generated().replace(/\n/g, '\r\n')}\n\n`, 'script.md').edited).toBe(false);
  });

  it("reads the host's edits: new words, cues, emphasis, a new section, a deleted one", () => {
    const edited = generated()
      .replace('More text about the second topic.', 'More text, *slowly*, about the [pause] second topic.\n\n[show the chart]')
      .replace('## Outro {#outro}', '## Listener mail\n\nA listener wrote in.\n\n## Outro {#outro}');
    const doc = parseScriptMd(edited, 'script.md');
    expect(doc.edited).toBe(true);
    const second = doc.sections.find((s) => s.id === 'second-topic');
    expect(second?.text).toBe('More text, slowly, about the second topic.');
    expect(second?.cues).toEqual(['pause', 'show the chart']);
    expect(doc.sections.map((s) => s.id)).toEqual(['intro', 'first-topic', 'second-topic', 'listener-mail', 'outro']);
    expect(doc.sections.find((s) => s.id === 'listener-mail')?.words).toBe(4);
    expect(doc.totalSeconds).toBe(doc.sections.reduce((n, s) => n + s.estimateSeconds, 0));
  });

  it('recomputes estimates from the header WPM', () => {
    const slow = buildScript(ISSUE, { ...SETTINGS, wpm: 80 });
    const doc = parseScriptMd(slow.scriptMd, 'script.md');
    const s = doc.sections[1];
    // 12 words at 80 words per minute: 9 s (at the default 155 it would be 5 s).
    expect(s?.text).toBe('Some text about the first topic, which costs two dollars an hour.');
    expect([s?.words, s?.estimateSeconds]).toEqual([12, 9]);
  });

  it('reads a hand-written script without a header as edited', () => {
    const doc = parseScriptMd('# Title\n\n## Hello there\n\nJust words.\n', 'script.md');
    expect(doc.edited).toBe(true);
    expect(doc.sections).toMatchObject([{ id: 'hello-there', title: 'Hello there', kind: 'body', text: 'Just words.' }]);
  });

  it.each([
    ['no sections', '# Title\n\nWords only.\n', /no sections/],
    ['a duplicate id', '## A {#a}\n\nOne.\n\n## B {#a}\n\nTwo.\n', /two sections have the id "a"/],
    ['a bad id', '## A {#Not OK}\n\nOne.\n', /is not lowercase letters/],
    ['a section with only cues', '## A {#a}\n\n[music]\n', /section "A" \{#a\} \(line 1\) has nothing to read aloud/],
  ])('refuses %s with an error naming the file', (_name, text, message) => {
    let error: unknown;
    try {
      parseScriptMd(text, 'episodes/x/script.md');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CastlineError);
    expect((error as CastlineError).message).toMatch(message);
    expect((error as CastlineError).message).toContain('episodes/x/script.md');
  });
});

describe('readScript', () => {
  async function episodeIn(dir: string): Promise<EpisodeContext> {
    return { id: '2023-01-20-x', dir, folderDate: '2023-01-20', slug: 'x', config: undefined, published: undefined, files: episodeFiles(dir) };
  }

  it('names the file and the command when script.md is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'castline-script-'));
    try {
      await expect(readScript(await episodeIn(dir))).rejects.toMatchObject({
        code: 'script-missing',
        message: expect.stringContaining('episodes/2023-01-20-x/script.md is missing'),
        hint: 'castline script 2023-01-20-x',
      });
      await writeFile(join(dir, 'script.md'), generated());
      const doc = await readScript(await episodeIn(dir));
      expect(doc.sections.length).toBe(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('markdown a host types into script.md', () => {
  it('reads list items as paragraphs and drops list, quote and sub-heading markers', () => {
    const doc = parseScriptMd('## A {#a}\n\n### Sub point\n\n- first item\n- second item\n\n> a quote\n> goes on\n', 'script.md');
    expect(doc.sections[0]?.paragraphs).toEqual(['Sub point', 'first item', 'second item', 'a quote goes on']);
  });
});

describe('overwrite guard', () => {
  const build = buildScript(ISSUE, SETTINGS);
  const id = SETTINGS.episodeId;
  it('lets generated, identical or missing files be rewritten', () => {
    expect(findEditedFiles({}, build, id)).toEqual([]);
    expect(findEditedFiles({ script: build.scriptMd, notes: build.notesMd }, build, id)).toEqual([]);
    // Generated from an older issue, never touched: safe to regenerate.
    const older = buildScript(`${ISSUE}\nAnother line of text.\n`, SETTINGS);
    expect(findEditedFiles({ script: older.scriptMd, notes: older.notesMd }, build, id)).toEqual([]);
  });
  it('names every edited file, including unreadable or hand-written ones', () => {
    const script = build.scriptMd.replace('More text', 'Much more text');
    const notes = build.notesMd.replace('Some text', 'Some other text');
    expect(findEditedFiles({ script, notes }, build, id)).toEqual([`episodes/${id}/script.md`, `episodes/${id}/notes.md`]);
    expect(findEditedFiles({ script: 'my own notes, no sections' }, build, id)).toEqual([`episodes/${id}/script.md`]);
  });
});
