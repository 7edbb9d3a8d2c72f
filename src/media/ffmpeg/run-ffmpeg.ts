import type { FfmpegCommand } from 'fluent-ffmpeg';
import { appendFileSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';
import { Writable } from 'node:stream';
import { CastlineError } from '../../core/errors.js';
import { getBinaries } from './binaries.js';
import { buildFluentCommand } from './build-fluent-command.js';
import { CoreSlots } from './core-slots.js';
import { isProgressLine, parseFfmpegProgress, takeProgressBlocks, type FfmpegProgress } from './parse-progress.js';

/**
 * The one module that runs ffmpeg (STYLE §3): argument lists are built as data elsewhere
 * (encode-args.ts, captions/decode-envelope.ts); here they are handed to fluent-ffmpeg, which
 * spawns ffmpeg, splits its stderr into lines and reports the exit. This module adds what
 * castline needs on top: the per-core limit, progress from `-progress`, the error contract
 * (command line, exit code, stderr tail) and no ffmpeg left running when castline exits.
 */

export interface RunOptions {
  /** Short name for progress and errors: "mp3", "measure", "clip 3". */
  label: string;
  /** Expected output length, to turn progress into a fraction. */
  durationSeconds?: number;
  onProgress?: (progress: FfmpegProgress & { fraction: number | undefined }) => void;
  /** What the step was for, used in the error message ("encoding the MP3 of 2023-01-20-x"). */
  purpose?: string;
  hint?: string;
  /**
   * Raw output written to stdout (the argument list ends with `pipe:1`), e.g. decoded PCM.
   * fluent-ffmpeg pipes ffmpeg's stdout into a stream that hands each chunk to this callback.
   */
  onStdout?: (chunk: Buffer) => void;
  /**
   * Each log line (not the progress lines) as ffmpeg prints it; return true to keep it out
   * of `stderr` (e.g. the ebur128 frame log of an hour: 36,000 lines read as they come).
   */
  onLogLine?: (line: string) => boolean | void;
  /**
   * Lower runs first when processes wait for a core (default 1): a build gives its critical
   * path (cleanup, analysis, loudness probes, the MP3 encode, the MP3's last metering) 0, and
   * the core such a run gives back is held a moment for the next one (core-slots.ts); the
   * thumbnail, which nothing waits for, 2.
   */
  priority?: number;
  /**
   * Aborting kills the run (SIGKILL) and rejects it with the signal's reason (an
   * `AbortError`); a run not yet started never starts. The build aborts its long camera
   * encode this way when another step fails.
   */
  signal?: AbortSignal;
  /**
   * Run ffmpeg at a lower CPU priority (nice 10): work off the critical path (the outputs'
   * metering beside the MP3 encode), whose process and castline's meter reading its output
   * would otherwise take time from the encode when they share a core.
   */
  background?: boolean;
}

export interface RunResult {
  /** ffmpeg's log (without the progress lines), head and tail kept when it is very long. */
  stderr: string;
  /** The last progress block ffmpeg printed (output length, speed). */
  progress: FfmpegProgress | undefined;
  wallSeconds: number;
}

/** ffmpeg processes running at once: one per core (PERF.md: independent encodes per core). */
const slots = new CoreSlots(Math.max(1, Number(process.env['CASTLINE_JOBS']) || availableParallelism()));

/**
 * ffmpeg ignores SIGPIPE, so an ffmpeg whose castline has exited (an error in a sibling
 * encode, process.exit) keeps encoding into dist/ in the background, measured: a 10-minute
 * MP3 encode carried on after its parent exited. Kill what is still running on exit.
 */
const live = new Set<FfmpegCommand>();
let exitHookInstalled = false;
function track(command: FfmpegCommand): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  live.add(command);
}

const STDERR_KEEP = 256 * 1024;

/** The niceness of background runs (RunOptions.background). */
export const BACKGROUND_NICE = 10;

/** Quote an argument for display (the command line shown with --debug), never for a shell. */
export function formatCommandLine(bin: string, args: readonly string[]): string {
  return [bin, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

/** fluent-ffmpeg reports a failed run as "ffmpeg exited with code N: …" or "ffmpeg was killed with signal S" (lib/processor.js). */
export function parseFluentExit(message: string): { code: number | undefined; signal: string | undefined } {
  const code = /ffmpeg exited with code (\d+)/.exec(message)?.[1];
  const signal = /ffmpeg was killed with signal (\w+)/.exec(message)?.[1];
  return { code: code === undefined ? undefined : Number(code), signal };
}

/**
 * Run ffmpeg with `args` (without the binary). Adds `-hide_banner -nostdin -nostats -progress
 * pipe:2` in front: progress goes to stderr, where fluent-ffmpeg's `stderr` event delivers it
 * line by line, so it works for every run, including those whose stdout carries data.
 */
export async function runFfmpeg(args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { ffmpeg } = getBinaries();
  const fullArgs = ['-hide_banner', '-nostdin', '-nostats', '-progress', 'pipe:2', ...args];
  options.signal?.throwIfAborted();
  const priority = options.priority ?? 1;
  const queued = performance.now();
  const release = await slots.acquire(priority);
  const started = performance.now();
  try {
    options.signal?.throwIfAborted();
    return await runCommand(ffmpeg, fullArgs, options);
  } finally {
    release();
    trace(options.label, queued, started);
  }
}

/**
 * `CASTLINE_TRACE_FFMPEG=<file>`: one JSON line per ffmpeg run (label, seconds since the process
 * started when it was queued, started and ended), to see a build's critical path (the media
 * benchmark prints it). A diagnostic: written synchronously, never inside the show folder by default.
 */
function trace(label: string, queued: number, started: number): void {
  const file = process.env['CASTLINE_TRACE_FFMPEG'];
  if (!file) return;
  const s = (t: number): number => Math.round(t) / 1000;
  appendFileSync(file, `${JSON.stringify({ label, queued: s(queued), started: s(started), ended: s(performance.now()) })}\n`);
}

function runCommand(ffmpeg: string, fullArgs: readonly string[], options: RunOptions): Promise<RunResult> {
  const onStdout = options.onStdout;
  // emitClose: false — fluent-ffmpeg kills ffmpeg 20 ms after its output stream emits 'close'
  // and reports "Output stream closed" if ffmpeg has not exited by then (lib/processor.js),
  // which under load can fail a decode that ended normally. The run ends on fluent-ffmpeg's
  // 'end' plus this stream's 'finish' (every chunk delivered), not on 'close'.
  const sink = onStdout
    ? new Writable({
        emitClose: false,
        write(chunk: Buffer, _encoding, done) {
          onStdout(chunk);
          done();
        },
      })
    : undefined;
  const command = buildFluentCommand(fullArgs, sink).setFfmpegPath(ffmpeg);
  const commandLine = formatCommandLine(ffmpeg, command._getArguments());
  const what = options.purpose ?? `at step ${options.label}`;
  const started = performance.now();
  return new Promise<RunResult>((resolve, reject) => {
    let stderr = '';
    let pending = '';
    let last: FfmpegProgress | undefined;
    let spawned = false;
    const signal = options.signal;
    const onAbort = (): void => {
      command.kill('SIGKILL');
    };
    command.on('start', () => {
      spawned = true;
      track(command);
      const pid = (command as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid;
      if (options.background && pid !== undefined) {
        try {
          setPriority(pid, BACKGROUND_NICE);
        } catch {
          // Not allowed here (a container without CAP_SYS_NICE may refuse even raising it): it runs at normal priority.
        }
      }
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    command.on('stderr', (line: string) => {
      if (isProgressLine(line)) {
        const { blocks, rest } = takeProgressBlocks(`${pending}${line}\n`);
        pending = rest;
        const p = blocks ? parseFfmpegProgress(blocks) : undefined;
        if (!p) return;
        last = p;
        const fraction = options.durationSeconds ? Math.min(1, p.outSeconds / options.durationSeconds) : undefined;
        options.onProgress?.({ ...p, fraction: p.done ? 1 : fraction });
        return;
      }
      if (options.onLogLine?.(line) === true) return;
      stderr += `${line}\n`;
      // Keep the head (input/stream info) and a bounded tail (the summary and errors).
      if (stderr.length > STDERR_KEEP * 2) stderr = stderr.slice(0, 4096) + '\n[…]\n' + stderr.slice(-STDERR_KEEP);
    });
    command.on('end', () => {
      live.delete(command);
      signal?.removeEventListener('abort', onAbort);
      const done = (): void => resolve({ stderr, progress: last, wallSeconds: (performance.now() - started) / 1000 });
      if (!sink || sink.writableFinished) done();
      else sink.once('finish', done);
    });
    command.on('error', (error: Error) => {
      live.delete(command);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (!spawned) {
        reject(
          new CastlineError('ffmpeg-failed', `Could not start ffmpeg (${ffmpeg}) for ${options.purpose ?? options.label}: ${error.message.split('\n')[0]}`, {
            hint: 'set CASTLINE_FFMPEG to a working ffmpeg, or reinstall castline',
            details: commandLine,
            cause: error,
          }),
        );
        return;
      }
      const { code, signal: killedBy } = parseFluentExit(error.message);
      const tail = stderr.trim().split('\n').slice(-15).join('\n');
      const lastLine = tail.split('\n').filter((l) => l.trim()).at(-1) ?? '';
      reject(
        new CastlineError('ffmpeg-failed', `ffmpeg failed ${what} (${killedBy ? `killed by ${killedBy}` : `exit code ${code ?? '?'}`}): ${lastLine.trim() || error.message}`, {
          hint: options.hint ?? 'rerun with --debug to see the ffmpeg command line and its output',
          details: `command: ${commandLine}\nexit code: ${code ?? killedBy}\nstderr (tail):\n${tail}`,
          cause: error,
        }),
      );
    });
    command.run();
  });
}
