import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildScript } from '../../../src/script/build-script.js';
import { fillNotesChapters, notesEdited, parseNotesMd, readNotes, readOptionalNotes, renderNotesHtml, renderNotesText, type ShowNotes } from '../../../src/script/notes.js';
import { episodeFiles } from '../../../src/config/load-show.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { SETTINGS } from './settings.js';

const seedNotes = buildScript(readFileSync(join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), 'utf8'), SETTINGS).notes;
const richNotes = buildScript(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'issues', 'rich.md'), 'utf8'), SETTINGS).notes;

function notesOf(markdown: string): ShowNotes {
  return { episodeId: 'x', title: 't', summary: '', markdown, links: [], chapters: [], showLinks: [] };
}

/** Every tag name in an HTML string. */
function tags(html: string): Set<string> {
  return new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => (m[1] ?? '').toLowerCase()));
}

function wellFormed(html: string): boolean {
  return XMLValidator.validate(`<root>${html}</root>`) === true;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Many sections of multibyte text and links: well over every limit. */
const LONG = Array.from({ length: 60 }, (_, i) => `## Part ${i} — Ünïcödé ✓\n\nParagraph ${i} with [a link](https://example.org/${i}) and text: ${'wörds '.repeat(20)}\n\n- item A${i}\n- item B${i}`).join('\n\n');

describe('wellFormed (the check the tests below rely on)', () => {
  it.each([
    ['an unclosed tag', '<p>Hello'],
    ['crossed tags', '<p><a href="https://example.org">link</p></a>'],
    ['an unquoted attribute', '<a href=https://example.org>link</a>'],
    ['a stray closing tag', 'text</p>'],
  ])('rejects %s', (_name, html) => {
    expect(wellFormed(html)).toBe(false);
  });
  it('accepts a paragraph with an escaped link', () => {
    expect(wellFormed('<p>A &amp; B: <a href="https://example.org/?a=1&amp;b=2">link</a></p>')).toBe(true);
  });
});

describe('renderNotesHtml', () => {
  it("feed: only Apple's tags, well-formed, links kept, headings as paragraphs", () => {
    const html = renderNotesHtml(seedNotes, { allowedTags: 'feed' });
    expect([...tags(html)].sort()).toEqual(['a', 'p']);
    expect(wellFormed(html)).toBe(true);
    expect(html).toContain('<a href="https://ais.pub/mechint">ais.pub/mechint</a>');
    expect(html).toContain('<a href="https://aisafety.training">aisafety.training</a>');
    expect(html).toContain('<p>Superpositions &amp; Transformers</p>');
    expect(html).not.toContain('castline:chapters');
  });

  it('full: headings, emphasis and quotes; tables as lists; still well-formed', () => {
    const html = renderNotesHtml(richNotes, { allowedTags: 'full', maxBytes: 100_000 });
    for (const t of tags(html)) expect(['p', 'ol', 'ul', 'li', 'a', 'h2', 'h3', 'strong', 'em', 'blockquote']).toContain(t);
    expect(html).toContain('<h2>Models &amp; Benchmarks</h2>');
    expect(html).toContain('<strong>new models</strong>');
    expect(html).toContain('<blockquote><p>Attention is all you need, e.g. sometimes.</p></blockquote>');
    expect(html).toContain('<li>GPT-4 · 86.4%</li>');
    expect(html).toContain('<a href="https://example.org/chart.png">Bar chart of benchmark scores</a>');
    expect(wellFormed(html)).toBe(true);
    const feed = renderNotesHtml(richNotes, { allowedTags: 'feed', maxBytes: 100_000 });
    for (const t of tags(feed)) expect(['p', 'ol', 'ul', 'li', 'a']).toContain(t);
    expect(wellFormed(feed)).toBe(true);
  });

  it('escapes text and drops unsafe link targets', () => {
    const html = renderNotesHtml(notesOf('A <script>alert(1)</script> & "quote" [x](javascript:alert(1)) [y](https://ok.org/?a=1&b=<2>) <b onclick="x">z</b>'), { allowedTags: 'full' });
    expect(html).not.toMatch(/<script|javascript:|onclick/);
    expect(html).toContain('&amp; &quot;quote&quot; x ');
    expect(html).toContain('href="https://ok.org/?a=1&amp;b=');
    expect(wellFormed(html)).toBe(true);
  });

  it('cuts at a block boundary under the byte limit and links to the full notes', () => {
    const html = renderNotesHtml(notesOf(LONG), { allowedTags: 'feed', fullNotesUrl: 'https://example.org/mlaisu/episodes/x/' });
    expect(bytes(html)).toBeLessThanOrEqual(4000);
    expect(bytes(html)).toBeGreaterThan(3000);
    expect(html.endsWith('<p><a href="https://example.org/mlaisu/episodes/x/">Full show notes</a></p>')).toBe(true);
    expect(wellFormed(html)).toBe(true);
    const small = renderNotesHtml(notesOf(LONG), { allowedTags: 'full', maxBytes: 700 });
    expect(bytes(small)).toBeLessThanOrEqual(700);
    expect(wellFormed(small)).toBe(true);
  });

  it('cuts one huge first paragraph at a word instead of dropping it', () => {
    const html = renderNotesHtml(notesOf(`Fish & chips ${'wörd '.repeat(2000)}`), { allowedTags: 'feed', fullNotesUrl: 'https://example.org/x/' });
    expect(bytes(html)).toBeLessThanOrEqual(4000);
    expect(html).toMatch(/^<p>Fish &amp; chips wörd wörd.*wörd…<\/p><p><a href="https:\/\/example.org\/x\/">Full show notes<\/a><\/p>$/);
    expect(wellFormed(html)).toBe(true);
  });

  it('does not cut or add the link when everything fits', () => {
    const html = renderNotesHtml(seedNotes, { allowedTags: 'feed', fullNotesUrl: 'https://example.org/' });
    expect(html).not.toContain('Full show notes');
  });
});

describe('renderNotesText', () => {
  it('plain text with URLs written out after the link text, no angle brackets', () => {
    const text = renderNotesText(notesOf('See [the paper](https://x.org/p) <b>now</b> a<b and 3 > 2. Also https://y.org and aisafety.training.\n\n- one\n  - nested\n\n1. first'));
    expect(text).not.toMatch(/[<>]/);
    expect(text).toContain('See the paper (https://x.org/p) now a‹b and 3 › 2. Also https://y.org and https://aisafety.training.');
    expect(text).toContain('• one\n  • nested');
    expect(text).toContain('1. first');
  });

  it('renders the seed with its sections and addresses', () => {
    const text = renderNotesText(seedNotes);
    expect(text).toContain('Superpositions & Transformers\n\nIn a recent Anthropic paper');
    expect(text).toContain('sign up on https://ais.pub/mechint and join');
    expect(text).not.toContain('castline');
  });

  it('stays within 5000 UTF-8 bytes, cut cleanly, with the full notes link', () => {
    const text = renderNotesText(notesOf(LONG), { fullNotesUrl: 'https://example.org/x/' });
    expect(bytes(text)).toBeLessThanOrEqual(5000);
    expect(text.endsWith('Full show notes: https://example.org/x/')).toBe(true);
    expect(text).not.toContain('\uFFFD');
    const one = renderNotesText(notesOf('ü'.repeat(4000)), { maxBytes: 101 });
    expect(bytes(one)).toBeLessThanOrEqual(101);
  });
});

describe('notes.md', () => {
  it('round-trips: summary, content without chapters or show links, links, estimated chapters', () => {
    const build = buildScript(readFileSync(join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), 'utf8'), SETTINGS);
    const notes = parseNotesMd(build.notesMd, 'notes.md');
    expect(notes).toEqual(build.notes);
    expect(notes.markdown).not.toMatch(/Chapters|Spotify|castline/);
    expect(notes.showLinks).toEqual([{ text: 'Spotify', url: 'https://open.spotify.com/show/example' }]);
    expect(notes.chapters.every((c) => c.estimated)).toBe(true);
  });

  it('fills in real chapter times after the build', () => {
    const build = buildScript(readFileSync(join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), 'utf8'), SETTINGS);
    const filled = fillNotesChapters(build.notesMd, [
      { title: 'Intro', startSeconds: 0 },
      { title: 'Superpositions & Transformers', startSeconds: 21.4 },
    ]);
    expect(parseNotesMd(filled, 'notes.md').chapters).toEqual([
      { title: 'Intro', start: '0:00', estimated: false },
      { title: 'Superpositions & Transformers', start: '0:21', estimated: false },
    ]);
  });

  it('does not count filled-in chapter times as an edit, but counts other changes', () => {
    const build = buildScript(readFileSync(join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), 'utf8'), SETTINGS);
    expect(notesEdited(build.notesMd)).toBe(false);
    expect(notesEdited(fillNotesChapters(build.notesMd, [{ title: 'Intro', startSeconds: 0 }]))).toBe(false);
    expect(notesEdited(build.notesMd.replace('In a recent Anthropic paper', 'In a new Anthropic paper'))).toBe(true);
  });

  it('readNotes takes real chapter times from the build record it is handed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'castline-notes-build-'));
    try {
      const id = '2023-01-20-mlaisu';
      const dir = join(root, 'episodes', id);
      await mkdir(dir, { recursive: true });
      const build = buildScript(readFileSync(join(REPO_ROOT, 'episodes', id, 'issue.md'), 'utf8'), SETTINGS);
      await writeFile(join(dir, 'notes.md'), build.notesMd);
      const episode = { id, dir, folderDate: '2023-01-20', slug: 'mlaisu', config: undefined, published: undefined, files: episodeFiles(dir) };
      expect((await readNotes(episode)).chapters[1]).toMatchObject({ estimated: true });
      const built = {
        chapters: [
          { id: 'intro', title: 'Intro', startTime: 0, endTime: 21 },
          { id: 'superpositions-transformers', title: 'Superpositions & Transformers', startTime: 21.6, endTime: 100 },
        ],
        chaptersEstimated: false,
      };
      expect((await readNotes(episode, built)).chapters).toEqual([
        { title: 'Intro', start: '0:00', estimated: false },
        { title: 'Superpositions & Transformers', start: '0:22', estimated: false },
      ]);
      // The notes stage reads no build record of its own: dist/ does not even exist here.
      expect(existsSync(join(root, 'dist'))).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('readOptionalNotes: a missing notes.md is a typed absent; notes without text are an error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'castline-notes-'));
    try {
      const episode = { id: '2023-01-20-x', dir, folderDate: '2023-01-20', slug: 'x', config: undefined, published: undefined, files: episodeFiles(dir) };
      expect(await readOptionalNotes(episode)).toEqual({ state: 'absent', file: 'episodes/2023-01-20-x/notes.md' });
      await writeFile(join(dir, 'notes.md'), '# Only a title\n');
      await expect(readOptionalNotes(episode)).rejects.toMatchObject({ code: 'notes-empty', message: 'episodes/2023-01-20-x/notes.md has no show notes text' });
      await writeFile(join(dir, 'notes.md'), '# Title\n\nThe summary paragraph.\n');
      const read = await readOptionalNotes(episode);
      expect(read.state === 'present' && read.notes.summary).toBe('The summary paragraph.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('readNotes names the file and the command when notes.md is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'castline-notes-'));
    try {
      const episode = { id: '2023-01-20-x', dir, folderDate: '2023-01-20', slug: 'x', config: undefined, published: undefined, files: episodeFiles(dir) };
      await expect(readNotes(episode)).rejects.toMatchObject({ code: 'notes-missing', hint: 'castline script 2023-01-20-x' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the committed example notes', async () => {
    const dir = join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu');
    const notes = await readNotes({ id: '2023-01-20-mlaisu', dir, folderDate: '2023-01-20', slug: 'mlaisu', config: undefined, published: undefined, files: episodeFiles(dir) });
    expect(notes.summary).toMatch(/^Welcome to this week’s ML & AI Safety Report/);
    expect(wellFormed(renderNotesHtml(notes, { allowedTags: 'feed' }))).toBe(true);
  });
});
