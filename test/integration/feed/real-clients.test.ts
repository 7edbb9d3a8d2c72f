import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadValidShow } from '../../../src/config/load-show.js';
import { writeFeedAndSite } from '../../../src/pipeline/write-feed-and-site.js';
import { createReporter } from '../../../src/core/reporter.js';
import { requireTool } from '../../helpers/cli.js';
import { makeBuiltShow, testNotes } from './built-show.js';

const quiet = createReporter({ quiet: true, stderr: { write: () => true } as unknown as NodeJS.WritableStream });
const hasXmllint = requireTool('xmllint');
// Debian's python3-feedparser lives in the system Python, which a pyenv shim may hide.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasFeedparser = requireTool('python3', PYTHON) && (spawnSync(PYTHON, ['-c', 'import feedparser']).status === 0 || Boolean(process.env['CI']));

let show: { root: string; cleanup: () => Promise<void> };
let feedPath: string;

beforeAll(async () => {
  show = await makeBuiltShow();
  // XML-hostile text in every kind of field the feed prints.
  const yamlPath = join(show.root, 'episodes/2023-01-20-mlaisu/episode.yaml');
  await writeFile(yamlPath, (await readFile(yamlPath, 'utf8')).replace(/^title: .*$/m, 'title: "Q&A <b> \\"x\\" ]]> \\u0007\\u001b end"'));
  const ctx = await loadValidShow(show.root);
  await writeFeedAndSite(ctx, { reporter: quiet, now: new Date('2023-02-01T00:00:00Z'), loadNotes: testNotes });
  feedPath = join(show.root, 'dist/feed.xml');
});
afterAll(async () => show?.cleanup());

describe('the feed read by real clients', () => {
  it.runIf(hasXmllint)('passes xmllint --noout', () => {
    const result = spawnSync('xmllint', ['--noout', feedPath], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.runIf(hasFeedparser)('is parsed by feedparser with bozo == 0, seeing every field', async () => {
    const script = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
f = d.feed
out = {
  "bozo": d.bozo, "bozo_exception": str(d.get("bozo_exception", "")),
  "title": f.get("title"), "link": f.get("link"), "language": f.get("language"), "rights": f.get("rights"),
  "authors": [a.get("name") for a in f.get("authors", [])], "image": f.get("image", {}).get("href"), "itunes_explicit": f.get("itunes_explicit"),
  "publisher_email": f.get("publisher_detail", {}).get("email"), "publisher_name": f.get("publisher_detail", {}).get("name"),
  "tags": [t["term"] for t in f.get("tags", [])], "podcast_guid": f.get("podcast_guid"), "podcast_locked": f.get("podcast_locked"),
  "itunes_type": f.get("itunes_type"), "subtitle": f.get("subtitle"),
  "entries": [{
    "title": e.get("title"), "id": e.get("id"), "guidislink": e.get("guidislink"), "published": e.get("published"),
    "duration": e.get("itunes_duration"), "episode": e.get("itunes_episode"), "episodetype": e.get("itunes_episodetype"),
    "enclosures": [{"href": x.get("href"), "length": x.get("length"), "type": x.get("type")} for x in e.get("enclosures", [])],
    "summary": e.get("summary"), "content": [c.get("value") for c in e.get("content", [])], "link": e.get("link"),
    "chapters": e.get("podcast_chapters"), "transcript": e.get("podcast_transcript"),
  } for e in d.entries],
}
print(json.dumps(out))
`;
    const out = JSON.parse(execFileSync(PYTHON, ['-c', script, feedPath], { encoding: 'utf8' }));
    expect(out.bozo_exception).toBe('');
    expect(Number(out.bozo)).toBe(0);
    expect(out.title).toBe('ML & AI Safety Update');
    expect(out.link).toBe('https://example.org/mlaisu/');
    expect(out.language).toBe('en');
    expect(out.rights).toContain('Apart Research');
    expect(out.authors).toContain('MLAISU Editors');
    expect(out.image).toBe('https://example.org/mlaisu/cover.png');
    expect(out.publisher_email).toBe('podcast@example.org');
    expect(out.publisher_name).toBe('MLAISU Editors');
    expect(out.tags).toEqual(expect.arrayContaining(['Technology', 'Science', 'Natural Sciences']));
    expect(out.itunes_type).toBe('episodic');
    expect(out.entries).toHaveLength(2);
    const [newest, older] = out.entries;
    expect(newest.title).toBe('Q&A <b> "x" ]]>  end');
    expect(newest.guidislink).toBe(false);
    expect(newest.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(newest.published).toBe('Fri, 20 Jan 2023 08:00:00 GMT');
    expect(newest.duration).toBe('6');
    expect(newest.episode).toBe('2');
    expect(newest.episodetype).toBe('full');
    const mp3 = await readFile(join(show.root, 'dist/episodes/2023-01-20-mlaisu/2023-01-20-mlaisu.mp3'));
    expect(newest.enclosures).toEqual([{ href: 'https://example.org/mlaisu/episodes/2023-01-20-mlaisu/2023-01-20-mlaisu.mp3', length: String(mp3.length), type: 'audio/mpeg' }]);
    expect(newest.link).toBe('https://example.org/mlaisu/episodes/2023-01-20-mlaisu/');
    expect(newest.summary).toBe('This week: Q&A <b> "x" ]]>  end.');
    expect(newest.content[0]).toContain('<a href="https://arxiv.org/abs/2301.05217">Progress measures for grokking</a>');
    expect(older.content[0]).toMatch(/^<p>Correction \(January 20, 2023\)/);
    // feedparser keeps podcast:* elements it does not model only as attributes of the last one.
    const raw = await readFile(feedPath, 'utf8');
    expect(raw).toContain('<podcast:chapters url="https://example.org/mlaisu/episodes/2023-01-20-mlaisu/chapters.json" type="application/json+chapters"/>');
    expect(raw).toContain('<podcast:transcript url="https://example.org/mlaisu/episodes/2023-01-20-mlaisu/transcript.vtt" type="text/vtt" rel="captions"/>');
    expect(raw).toMatch(/<podcast:guid>[0-9a-f-]{36}<\/podcast:guid>/);
    // feedparser folds itunes:author into the owner's author entry; check the element itself.
    expect(raw).toContain('<itunes:author>Apart Research</itunes:author>');
    expect(raw).toContain('<podcast:locked owner="podcast@example.org">yes</podcast:locked>');
  });
});
