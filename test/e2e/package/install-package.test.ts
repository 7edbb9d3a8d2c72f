import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireTool } from '../../helpers/cli.js';
import { fixturePath, SPEECH } from '../../fixtures/media/registry.mjs';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';

const exec = promisify(execFile);

/**
 * The package as a host gets it (issue 18): `npm pack`, installed with `npm install -g` into a
 * temporary prefix, then `castline init`, `new` and `build` run from that prefix in a folder
 * outside this repository, with the repository on no path (PATH, cwd, HOME, NODE_PATH). The
 * dependencies come from npm's cache or the registry (`--prefer-offline`), as for a user.
 */

interface PackFile {
  path: string;
  size: number;
}

const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) => exec('npm', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });

describe('npm pack', () => {
  it('contains only the compiled CLI, its launcher and the shipped assets', async () => {
    const { stdout } = await npm(['pack', '--dry-run', '--json', '--ignore-scripts'], REPO_ROOT);
    const [pack] = JSON.parse(stdout) as [{ files: PackFile[]; size: number; unpackedSize: number }];
    const paths = pack.files.map((f) => f.path);
    // What the launcher loads is there, compiled.
    expect(readFileSync(join(REPO_ROOT, 'bin', 'castline.js'), 'utf8')).toContain("'../lib/cli/main.js'");
    expect(paths).toEqual(expect.arrayContaining(['bin/castline.js', 'lib/cli/main.js', 'lib/cli/commands/init.js', 'lib/pipeline/build-show.js', 'package.json', 'README.md', 'assets/fonts/DejaVuSans-Bold.ttf', 'assets/fonts/LICENSE-DejaVu.txt', 'assets/background.png']));
    // Nothing else: no sources, tests, example episodes, scripts, source maps or the example's cover.
    const unexpected = paths.filter((p) => !/^(bin\/castline\.js|lib\/.+\.js|package\.json|README\.md|assets\/fonts\/DejaVuSans-Bold\.ttf|assets\/fonts\/LICENSE-DejaVu\.txt|assets\/background\.png)$/.test(p));
    expect(unexpected).toEqual([]);
    // Size: the font is most of it (709 kB uncompressed); the whole tarball stays under 1.5 MB.
    expect(pack.size).toBeLessThan(1.5 * 1024 * 1024);
    expect(pack.unpackedSize).toBeLessThan(4 * 1024 * 1024);
  });
});

describe.skipIf(!requireTool('espeak-ng'))('the packed tarball installed into a clean prefix', () => {
  let base: string;
  let prefix: string;
  let env: NodeJS.ProcessEnv;

  function castline(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(join(prefix, 'bin', 'castline'), args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'castline-pkg-'));
    prefix = join(base, 'prefix');
    const packDir = join(base, 'pack');
    await mkdir(packDir);
    // Packed from a copy of the repository, with lib/ as `npm test` built it: prepack's clean
    // rebuild would delete lib/ under the other tests running at the same time.
    const staging = join(base, 'staging');
    for (const entry of ['package.json', 'README.md', 'bin', 'lib', 'assets']) await cp(join(REPO_ROOT, entry), join(staging, entry), { recursive: true });
    const { stdout } = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], staging);
    const [pack] = JSON.parse(stdout) as [{ filename: string }];
    const tarball = join(packDir, pack.filename);
    // Install as a user would; HOME is the real one only for npm's cache.
    await npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], base);
    const installed = join(prefix, 'lib', 'node_modules', 'castline');
    expect(realpathSync(installed).startsWith(realpathSync(prefix))).toBe(true);
    // npm 11 skips install scripts, and @ffmpeg-installer's only one is `chmod u+x`: take the
    // execute bits away so the run below proves castline restores them itself.
    for (const pkg of ['@ffmpeg-installer/linux-x64/ffmpeg', '@ffprobe-installer/linux-x64/ffprobe']) {
      const bin = join(installed, 'node_modules', pkg);
      chmodSync(bin, 0o644);
    }
    const home = join(base, 'home');
    await mkdir(home);
    // The repository on no path: PATH is the prefix and the system's, cwd and HOME are temp.
    env = { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, NO_COLOR: '1', LANG: 'C.UTF-8' };
  }, 600_000);
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('runs init, new and build from the prefix', async () => {
    const version = await castline(['--version'], base);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);

    const init = await castline(['init', 'my-show', '--title', 'Installed Show', '--author', 'Jo Host', '--email', 'jo@example.org', '--base-url', 'https://example.org/show/', '--yes'], base);
    expect(init.code, init.stderr).toBe(0);
    const root = join(base, 'my-show');
    // The cover was drawn by the installed package's ffmpeg, which castline made executable.
    const installed = join(prefix, 'lib', 'node_modules', 'castline', 'node_modules');
    expect(statSync(join(installed, '@ffmpeg-installer/linux-x64/ffmpeg')).mode & 0o100).toBe(0o100);
    expect(statSync(join(installed, '@ffprobe-installer/linux-x64/ffprobe')).mode & 0o100).toBe(0o100);
    expect(existsSync(join(root, 'assets', 'cover.png'))).toBe(true);

    await writeFile(join(base, 'issue.md'), `# First issue\n\n${SPEECH.news}\n`);
    const created = await castline(['new', 'first', '--issue', join(base, 'issue.md'), '--date', '2024-05-03'], root);
    expect(created.code, created.stderr).toBe(0);
    const ep = join(root, 'episodes', '2024-05-03-first');
    // The recording: one take per section, as a host records them (espeak-ng fixtures).
    await writeFile(join(ep, 'script.md'), `# First issue\n\n## Welcome {#intro}\n\n${SPEECH.intro}\n\n## The news {#news}\n\n${SPEECH.news}\n\n## Goodbye {#outro}\n\n${SPEECH.outro}\n`);
    for (const id of ['intro', 'news', 'outro']) await copyFile(fixturePath(`take-${id}.wav`), join(ep, 'audio', `${id}.wav`));

    const check = await castline(['check'], root);
    expect(check.code, check.stderr).toBe(0);
    const build = await castline(['build', '--json'], root);
    expect(build.code, build.stderr).toBe(0);
    const json = JSON.parse(build.stdout) as { episodes: { id: string; status: string }[] };
    expect(json.episodes).toEqual([expect.objectContaining({ id: '2024-05-03-first', status: 'built' })]);
    const mp3 = await probeMedia(join(root, 'dist', 'episodes', '2024-05-03-first', '2024-05-03-first.mp3'));
    expect(Number(mp3.format.duration)).toBeGreaterThan(5);
    const mp4 = await probeMedia(join(root, 'dist', 'episodes', '2024-05-03-first', '2024-05-03-first.mp4'));
    expect(mp4.streams.find((s) => s.codec_type === 'video')?.width).toBe(1920);
    const feed = readFileSync(join(root, 'dist', 'feed.xml'), 'utf8');
    expect(feed).toContain('https://example.org/show/episodes/2024-05-03-first/2024-05-03-first.mp3');
    expect(feed).toContain('<title>Installed Show</title>');
  }, 600_000);
});
