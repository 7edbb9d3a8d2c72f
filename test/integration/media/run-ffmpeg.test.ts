import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../../src/media/ffmpeg/run-ffmpeg.js';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';
import { CastlineError } from '../../../src/core/errors.js';
import { REPO_ROOT } from '../../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castline-run-ffmpeg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runFfmpeg (the one module that runs ffmpeg, through fluent-ffmpeg)', () => {
  it('reports progress from -progress up to the end', async () => {
    const seen: number[] = [];
    const result = await runFfmpeg(['-f', 'lavfi', '-i', 'sine=f=440:d=20', '-f', 'null', '-'], { label: 'test', durationSeconds: 20, onProgress: (p) => p.fraction !== undefined && seen.push(p.fraction) });
    expect(seen.at(-1)).toBe(1);
    expect(result.progress?.done).toBe(true);
    expect(result.progress?.outSeconds).toBeCloseTo(20, 1);
    // Progress lines are not part of the log the parsers read.
    expect(result.stderr).not.toMatch(/^out_time_us=/m);
    expect(result.stderr).toMatch(/Stream #0:0: Audio: pcm_s16le, 44100 Hz/);
  });

  it('turns a failed run into a CastlineError with the command line, exit code and stderr tail', async () => {
    const error = await runFfmpeg(['-i', '/nonexistent/input.wav', '-f', 'null', '-'], { label: 'broken', purpose: 'testing a failure' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CastlineError);
    const e = error as CastlineError;
    expect(e.message).toMatch(/^ffmpeg failed testing a failure \(exit code 1\): .*No such file or directory/);
    // The command line fluent-ffmpeg spawned: the list as given, plus its -y after the inputs.
    expect(e.details).toMatch(/^command: .*ffmpeg -hide_banner -nostdin -nostats -progress pipe:2 -i \/nonexistent\/input\.wav -y -f null -\n/);
    expect(e.details).toMatch(/exit code: 1\nstderr \(tail\):\n.*No such file or directory/);
  });

  it('an aborted signal kills a running ffmpeg and rejects with an AbortError; an already aborted one starts nothing', async () => {
    const abort = new AbortController();
    let progressed = 0;
    // Ten minutes of sound read at its own pace (-re): it runs until it is killed.
    const run = runFfmpeg(['-re', '-f', 'lavfi', '-i', 'sine=f=440:d=600', '-f', 'null', '-'], {
      label: 'long',
      durationSeconds: 600,
      signal: abort.signal,
      onProgress: () => {
        if (progressed++ === 0) abort.abort();
      },
    });
    // fluent-ffmpeg reports the end only once the process has exited: resolving at all means it was killed.
    const error = await run.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(progressed).toBeGreaterThan(0);
    let started = false;
    const again = await runFfmpeg(['-f', 'lavfi', '-i', 'sine=d=1', '-f', 'null', '-'], { label: 'never', signal: abort.signal, onProgress: () => (started = true) }).catch((e: unknown) => e);
    expect(again).toMatchObject({ name: 'AbortError' });
    expect(started).toBe(false);
  }, 60_000);

  it('streams decoded PCM from stdout whole: every sample arrives before the run resolves', async () => {
    let bytes = 0;
    let chunks = 0;
    // 3 s of 8 kHz mono s16le: exactly 48,000 bytes.
    await runFfmpeg(['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=3:sample_rate=8000', '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'], {
      label: 'pcm',
      onStdout: (chunk) => {
        bytes += chunk.length;
        chunks++;
      },
    });
    expect(bytes).toBe(48_000);
    expect(chunks).toBeGreaterThan(0);
  });

  it('passes arguments with spaces through whole (a title of two words, a path with a space)', async () => {
    const out = join(dir, 'two words.mp3');
    await runFfmpeg(['-f', 'lavfi', '-i', 'sine=d=1', '-metadata', 'title=Two words', '-c:a', 'libmp3lame', '-y', out], { label: 'spaces' });
    const probe = await probeMedia(out);
    expect(probe.format.tags?.['title']).toBe('Two words');
    expect(Number(probe.format.duration)).toBeCloseTo(1, 1);
  });

  it('leaves no ffmpeg running when castline exits in the middle of an encode', async () => {
    // A child process over the compiled lib/ (npm test builds it) starts a 10-minute MP3
    // encode, says so once progress shows it running, and exits when told (after this test
    // has seen the encode); ffmpeg ignores SIGPIPE, so without the runner's exit hook it
    // would go on writing the file.
    const out = join(dir, `orphan-${process.pid}.mp3`);
    const lib = pathToFileURL(join(REPO_ROOT, 'lib', 'media', 'ffmpeg', 'run-ffmpeg.js')).href;
    const code = `
      const { runFfmpeg } = await import(${JSON.stringify(lib)});
      runFfmpeg(['-f', 'lavfi', '-i', 'sine=d=600', '-c:a', 'libmp3lame', '-y', ${JSON.stringify(out)}], {
        label: 'long', durationSeconds: 600,
        onProgress: (p) => { if (p.outSeconds > 0) process.stdout.write('running\\n'); },
      });
      process.stdin.once('data', () => process.exit(3));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
    const ffmpegsWriting = async (): Promise<number> => {
      let n = 0;
      for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        const argv = cmdline.split('\0');
        if (argv[0]?.endsWith('ffmpeg') && argv.includes(out)) n++;
      }
      return n;
    };
    let whileRunning = -1;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('running') && whileRunning === -1) {
        whileRunning = -2;
        void ffmpegsWriting().then((n) => {
          whileRunning = n;
          child.stdin.end('exit\n');
        });
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(3);
    expect(whileRunning).toBe(1); // the /proc scan does see the encode while castline runs
    await new Promise((r) => setTimeout(r, 300));
    expect(await ffmpegsWriting()).toBe(0);
  });
});
