import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadValidShow } from '../../../src/config/load-show.js';
import { writeFeedAndSite } from '../../../src/pipeline/write-feed-and-site.js';
import { createReporter } from '../../../src/core/reporter.js';
import { requireTool } from '../../helpers/cli.js';
import { makeBuiltShow } from '../feed/built-show.js';

/**
 * The pages parse without a single HTML5 parse error in html5lib (the WHATWG parsing
 * algorithm; Debian python3-html5lib) in strict mode, with hostile text in the YAML and the
 * example's real notes.md from the script stage.
 */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasHtml5lib = requireTool('python3', PYTHON) && (spawnSync(PYTHON, ['-c', 'import html5lib']).status === 0 || Boolean(process.env['CI']));
const quiet = createReporter({ quiet: true, stderr: { write: () => true } as unknown as NodeJS.WritableStream });

let show: { root: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  // With MP4s, so the episode pages carry the <video> player and its captions track too.
  show = await makeBuiltShow({ video: true });
  const yamlPath = join(show.root, 'episodes/2023-01-13-mlaisu/episode.yaml');
  await writeFile(yamlPath, (await readFile(yamlPath, 'utf8')).replace(/^title: .*$/m, 'title: "Q&A <b> \\"x\\" ]]> </title><script>x</script> \\u0007"'));
  await writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now: new Date('2023-02-01T00:00:00Z') });
});
afterAll(async () => show?.cleanup());

describe.runIf(hasHtml5lib)('site HTML', () => {
  it.each(['index.html', 'episodes/2023-01-20-mlaisu/index.html', 'episodes/2023-01-13-mlaisu/index.html'])('%s parses with no HTML5 parse error', (page) => {
    const script = 'import html5lib, sys\nhtml5lib.HTMLParser(strict=True).parse(open(sys.argv[1], "rb").read())\nprint("ok")';
    const r = spawnSync(PYTHON, ['-c', script, join(show.root, 'dist', page)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });
});
