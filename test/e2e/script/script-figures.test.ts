import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempShow, runCli } from '../../helpers/cli.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';

/**
 * `castline script` keeps the images as figure files (issue 15): the real CLI against
 * a local HTTP server (random loopback port) that serves a real PNG, a real JPEG labelled as a
 * PNG, a 404, an HTML page, bytes that claim image/png, a PNG over the size limit, one that
 * answers too slowly, and a redirect loop. The images are made with the bundled ffmpeg.
 */

const ID = '2023-01-20-mlaisu';
let root: string;
let cleanup: () => Promise<void>;
let server: Server;
let origin: string;
let work: string;
const images: Record<string, Buffer> = {};
const requests: string[] = [];

/** An image written by the bundled ffmpeg from a lavfi source. */
function ffmpegImage(source: string, out: string): Buffer {
  const r = spawnSync(getBinaries().ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', source, '-frames:v', '1', '-y', out]);
  if (r.status !== 0) throw new Error(`ffmpeg could not make ${out}: ${String(r.stderr)}`);
  return readFileSync(out);
}

const LIMIT_BYTES = 60_000;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'castline-figures-'));
  images['chart'] = ffmpegImage('color=c=0x3366cc:s=320x180', join(work, 'chart.png'));
  images['photo'] = ffmpegImage('testsrc=s=320x240', join(work, 'photo.jpg'));
  images['local'] = ffmpegImage('color=c=0xcc6633:s=160x90', join(work, 'local.png'));
  // Noise does not compress: this PNG is far over the limit set for the test.
  images['big'] = ffmpegImage('nullsrc=s=640x360,geq=random(1)*255:128:128', join(work, 'big.png'));
  expect(images['big']!.length).toBeGreaterThan(LIMIT_BYTES * 2);
  expect(images['chart']!.length).toBeLessThan(LIMIT_BYTES);

  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const send = (status: number, type: string, body: Buffer | string): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    switch (req.url) {
      case '/img/chart.png':
        return send(200, 'image/png', images['chart']!);
      case '/img/photo':
        // A JPEG that the server calls a PNG: kept as what it is.
        return send(200, 'image/png', images['photo']!);
      case '/img/ref.png':
        return send(200, 'image/png', images['chart']!);
      case '/img/page.png':
        return send(200, 'text/html; charset=utf-8', '<html><script>alert(1)</script><p>Not an image</p></html>');
      case '/img/fake.png':
        return send(200, 'image/png', 'this is not a PNG at all, only text that says it is');
      case '/img/big.png':
        return send(200, 'image/png', images['big']!);
      case '/img/slow.png':
        setTimeout(() => send(200, 'image/png', images['chart']!), 4000).unref();
        return;
      case '/img/loop.png':
        res.writeHead(302, { location: '/img/loop.png' });
        return res.end();
      default:
        return send(404, 'text/plain', 'not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  ({ root, cleanup } = await makeTempShow({ episodes: [ID] }));
  const dir = join(root, 'episodes', ID);
  await rm(join(dir, 'script.md'), { force: true });
  await rm(join(dir, 'notes.md'), { force: true });
  await writeFile(join(dir, 'local.png'), images['local']!);
  await writeFile(
    join(dir, 'issue.md'),
    [
      '# Figures issue',
      '',
      'This week we look at charts and pictures from the papers.',
      '',
      '## Charts',
      '',
      'The first chart shows the benchmark scores rising every month.',
      '',
      `![Benchmark scores by month](${origin}/img/chart.png)`,
      '',
      'The photo was taken in the lab where the robot learned to tie knots.',
      '',
      `![The robot lab](${origin}/img/photo)`,
      '',
      'A chart named by reference comes next in the issue.',
      '',
      '![Reference chart][fig]',
      '',
      `[fig]: ${origin}/img/ref.png`,
      '',
      '## Broken ones',
      '',
      'These images are all broken in one way or another, and the script must still be whole.',
      '',
      `![Gone](${origin}/img/missing.png)`,
      '',
      `![A page](${origin}/img/page.png)`,
      '',
      `![Fake](${origin}/img/fake.png)`,
      '',
      `![Huge](${origin}/img/big.png)`,
      '',
      `![Slow](${origin}/img/slow.png)`,
      '',
      `![Loop](${origin}/img/loop.png)`,
      '',
      'A local picture sits next to the issue file. <img src="local.png" alt="Local picture">',
      '',
      'And one outside the show folder is not copied. ![Secret](../../../../etc/passwd)',
      '',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await cleanup();
  await rm(work, { recursive: true, force: true });
});

describe('castline script keeps the issue\'s images', () => {
  let result: Awaited<ReturnType<typeof runCli>>;
  let script: string;
  let visuals: string[];
  beforeAll(async () => {
    result = await runCli(['script', ID, '--json'], { cwd: root, env: { CASTLINE_IMAGE_MAX_BYTES: String(LIMIT_BYTES), CASTLINE_IMAGE_TIMEOUT_MS: '1500' } });
    script = await readFile(join(root, 'episodes', ID, 'script.md'), 'utf8');
    visuals = (await readdir(join(root, 'episodes', ID, 'visuals'))).sort();
  }, 60_000);

  it('exits 0 and writes the script, however many images failed', () => {
    expect(result.stderr).toContain(`wrote episodes/${ID}/script.md`);
    expect(result.stderr).toContain('4 of 11 images kept in visuals/');
    expect(result.code).toBe(0);
  });

  it('keeps exactly the real images, named figure-N by their real type', async () => {
    expect(visuals).toEqual(['figure-1.png', 'figure-2.jpg', 'figure-3.png', 'figure-10.png'].sort());
    const dir = join(root, 'episodes', ID, 'visuals');
    expect(await readFile(join(dir, 'figure-1.png'))).toEqual(images['chart']);
    expect(await readFile(join(dir, 'figure-2.jpg'))).toEqual(images['photo']);
    expect(await readFile(join(dir, 'figure-3.png'))).toEqual(images['chart']);
    expect(await readFile(join(dir, 'figure-10.png'))).toEqual(images['local']);
  });

  it('writes a cue naming each kept file, where the image stood', () => {
    expect(script).toContain('\n[image: Benchmark scores by month](visuals/figure-1.png)\n');
    expect(script).toContain('\n[image: The robot lab](visuals/figure-2.jpg)\n');
    expect(script).toContain('\n[image: Reference chart](visuals/figure-3.png)\n');
    expect(script).toContain('\n[image: Local picture](visuals/figure-10.png)\n');
    const order = ['scores rising every month', 'figure-1.png', 'robot learned to tie knots', 'figure-2.jpg', 'by reference comes next', 'figure-3.png'];
    const at = order.map((s) => script.indexOf(s));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('leaves each failed image as a cue with its URL and a note saying why and what to do', () => {
    const line = (alt: string): string => script.split('\n').find((l) => l.startsWith(`[image: ${alt}]`)) ?? '';
    expect(line('Gone')).toBe(`[image: Gone](${origin}/img/missing.png) <!-- not downloaded: HTTP 404; save the image as visuals/figure-4.png (or .jpg) and change the link to it -->`);
    expect(line('A page')).toContain(`(${origin}/img/page.png) <!-- not downloaded: not an image (the server sent text/html)`);
    expect(line('Fake')).toContain('not downloaded: not an image (the data is not PNG, JPEG, WebP or GIF)');
    expect(line('Huge')).toContain('not downloaded: larger than 0.06 MiB');
    expect(line('Slow')).toContain('not downloaded: no answer within 1.5 s');
    expect(line('Loop')).toContain('not downloaded: more than 5 redirects');
    expect(line('Secret')).toContain('not copied: outside the show folder');
    for (const alt of ['Gone', 'A page', 'Fake', 'Huge', 'Slow', 'Loop']) expect(result.stderr).toContain(`image ${origin}/img/`);
    expect(result.stderr.match(/^.*episodes\/2023-01-20-mlaisu: image .*$/gm)?.length).toBe(7);
  });

  it('reads none of it aloud, and the script parses with each figure in place', async () => {
    const out = JSON.parse(result.stdout) as { sections: { id: string; text: string }[]; figures: { src: string; file: string | null }[] };
    const text = out.sections.map((s) => s.text).join('\n');
    expect(text).not.toMatch(/\[image|figure-\d|https?:|not downloaded|visuals/i);
    expect(out.figures.filter((f) => f.file).map((f) => f.file)).toEqual(['visuals/figure-1.png', 'visuals/figure-2.jpg', 'visuals/figure-3.png', 'visuals/figure-10.png']);
    const check = await runCli(['check', '--json'], { cwd: root });
    type Listed = { code: string; file: string; path?: string; message: string }[];
    const report = JSON.parse(check.stdout) as { errors: Listed; warnings: Listed };
    // The files castline kept are fine; each URL cue is a warning with its line.
    const errors = report.errors.filter((p) => p.code.startsWith('figure-'));
    expect(errors.map((p) => [p.code, script.split('\n')[Number(p.path?.slice(5)) - 1]?.slice(0, 16)])).toEqual([['figure-outside-episode', '[image: Secret](']]);
    const warned = report.warnings.filter((p) => p.code === 'figure-not-downloaded');
    expect(warned.length).toBe(6);
    expect(warned.every((p) => p.file === `episodes/${ID}/script.md` && /^line \d+$/.test(p.path ?? ''))).toBe(true);
    const gone = warned.find((p) => p.message.includes('"Gone"'));
    expect(script.split('\n')[Number(gone?.path?.slice(5)) - 1]).toMatch(/^\[image: Gone\]/);
  });

  it('castline check names a cue whose file is missing or does not decode, with its line', async () => {
    const dir = join(root, 'episodes', ID);
    const png = images['chart']!;
    await writeFile(join(dir, 'visuals', 'cut.png'), png.subarray(0, Math.floor(png.length / 2)));
    const edited = script
      .replace('(visuals/figure-1.png)', '(visuals/nothere.png)')
      .replace('(visuals/figure-2.jpg)', '(visuals/cut.png)')
      .replace(/^\[image: Secret\].*$/m, '');
    await writeFile(join(dir, 'script.md'), edited);
    const check = await runCli(['check', '--json'], { cwd: root });
    expect(check.code).not.toBe(0);
    type Listed = { code: string; file: string; path?: string; message: string }[];
    const errors = (JSON.parse(check.stdout) as { errors: Listed }).errors.filter((p) => p.file.endsWith('script.md'));
    const lineOf = (needle: string): string => `line ${edited.split('\n').findIndex((l) => l.includes(needle)) + 1}`;
    expect(errors.map((p) => [p.code, p.path])).toEqual([
      ['figure-missing', lineOf('visuals/nothere.png')],
      ['image-corrupt', lineOf('visuals/cut.png')],
    ]);
    expect(errors[1]?.message).toContain('visuals/cut.png');
    const human = await runCli(['check'], { cwd: root });
    expect(human.stderr).toContain(`episodes/${ID}/script.md → ${lineOf('visuals/nothere.png')}`);
    await writeFile(join(dir, 'script.md'), script);
  });

  it('--no-download fetches nothing and says so in the cues', async () => {
    const before = requests.length;
    const r = await runCli(['script', ID, '--force', '--no-download'], { cwd: root });
    expect(r.code).toBe(0);
    expect(requests.length).toBe(before);
    const text = await readFile(join(root, 'episodes', ID, 'script.md'), 'utf8');
    expect(text).toContain(`[image: Benchmark scores by month](${origin}/img/chart.png) <!-- not downloaded: castline script ran with --no-download`);
  });
});
