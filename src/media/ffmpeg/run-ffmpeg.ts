import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { CastlineError } from '../../core/errors.js';
import { getBinaries } from './binaries.js';
import { parseFfmpegProgress, takeProgressBlocks, type FfmpegProgress } from './parse-progress.js';

/**
 * The one module that starts ffmpeg (STYLE §3: arguments are built as data elsewhere; this
 * only spawns). It spawns directly rather than through fluent-ffmpeg: castline's argument
 * lists are complete data already (filter graphs, `-progress pipe:1`, exact map order), and
 * fluent-ffmpeg's builder would only re-assemble them; see the README's media section.
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
   * Raw output written to stdout (`pipe:1`), e.g. decoded PCM. ffmpeg's stdout then carries the
   * data, so no `-progress pipe:1` is added and `onProgress` is not called.
   */
  onStdout?: (chunk: Buffer) => void;
}

export interface RunResult {
  stderr: string;
  /** The last progress block ffmpeg printed (output length, speed). */
  progress: FfmpegProgress | undefined;
  wallSeconds: number;
}

/** ffmpeg processes running at once: one per core (PERF.md: independent encodes per core). */
const MAX_RUNNING = Math.max(1, Number(process.env['CASTLINE_JOBS']) || availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

async function acquire(): Promise<void> {
  if (running < MAX_RUNNING) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

const STDERR_KEEP = 256 * 1024;

/** Quote an argument for display (the command line shown with --debug), never for a shell. */
export function formatCommandLine(bin: string, args: readonly string[]): string {
  return [bin, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

/**
 * Run ffmpeg with `args` (without the binary). Adds `-progress pipe:1 -nostats` itself, unless
 * the caller reads stdout (`onStdout`).
 */
export async function runFfmpeg(args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { ffmpeg } = getBinaries();
  const fullArgs = ['-hide_banner', '-nostdin', '-nostats', ...(options.onStdout ? [] : ['-progress', 'pipe:1']), ...args];
  await acquire();
  const started = performance.now();
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      const child = spawn(ffmpeg, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let pending = '';
      let last: FfmpegProgress | undefined;
      const onStdout = options.onStdout;
      if (onStdout) {
        child.stdout.on('data', (chunk: Buffer) => onStdout(chunk));
      } else {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          const { blocks, rest } = takeProgressBlocks(pending + chunk);
          pending = rest;
          const p = blocks ? parseFfmpegProgress(blocks) : undefined;
          if (!p) return;
          last = p;
          const fraction = options.durationSeconds ? Math.min(1, p.outSeconds / options.durationSeconds) : undefined;
          options.onProgress?.({ ...p, fraction: p.done ? 1 : fraction });
        });
      }
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        // Keep the head (input/stream info) and a bounded tail (the summary and errors).
        if (stderr.length > STDERR_KEEP * 2) stderr = stderr.slice(0, 4096) + '\n[…]\n' + stderr.slice(-STDERR_KEEP);
      });
      child.on('error', (error) => {
        reject(
          new CastlineError('ffmpeg-failed', `Could not start ffmpeg (${ffmpeg}) for ${options.purpose ?? options.label}: ${error.message}`, {
            hint: 'set CASTLINE_FFMPEG to a working ffmpeg, or reinstall castline',
            details: formatCommandLine(ffmpeg, fullArgs),
            cause: error,
          }),
        );
      });
      child.on('close', (code, signal) => {
        const wallSeconds = (performance.now() - started) / 1000;
        if (code === 0) {
          resolve({ stderr, progress: last, wallSeconds });
          return;
        }
        const tail = stderr.trim().split('\n').slice(-15).join('\n');
        const lastLine = tail.split('\n').filter((l) => l.trim()).at(-1) ?? '';
        reject(
          new CastlineError('ffmpeg-failed', `ffmpeg failed ${options.purpose ?? `at step ${options.label}`} (${signal ? `killed by ${signal}` : `exit code ${code}`}): ${lastLine.trim()}`, {
            hint: options.hint ?? 'rerun with --debug to see the ffmpeg command line and its output',
            details: `command: ${formatCommandLine(ffmpeg, fullArgs)}\nexit code: ${code ?? signal}\nstderr (tail):\n${tail}`,
          }),
        );
      });
    });
  } finally {
    release();
  }
}
