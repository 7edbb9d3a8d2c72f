import { spawn } from 'node:child_process';
import { CastlineError } from '../../core/errors.js';
import { getBinaries } from './binaries.js';

export interface Silence {
  start: number;
  end: number;
}

/** Parse `silencedetect` lines from ffmpeg's stderr (pure, unit-tested). */
export function parseSilenceDetect(stderr: string, totalDuration?: number): Silence[] {
  const out: Silence[] = [];
  let start: number | undefined;
  for (const line of stderr.split('\n')) {
    const s = /silence_start: (-?[\d.]+)/.exec(line);
    if (s?.[1]) {
      start = Math.max(0, Number(s[1]));
      continue;
    }
    const e = /silence_end: ([\d.]+)/.exec(line);
    if (e?.[1] && start !== undefined) {
      out.push({ start, end: Number(e[1]) });
      start = undefined;
    }
  }
  if (start !== undefined && totalDuration !== undefined) out.push({ start, end: totalDuration });
  return out;
}

/**
 * Pauses in a recording: ffmpeg `silencedetect` (noise threshold in dB, minimum length in
 * seconds). Used to snap estimated chapter marks and to align captions.
 */
export function detectSilences(path: string, options: { noiseDb?: number; minSeconds?: number; totalDuration?: number } = {}): Promise<Silence[]> {
  const { ffmpeg } = getBinaries();
  const noise = options.noiseDb ?? -35;
  const min = options.minSeconds ?? 0.3;
  const args = ['-hide_banner', '-nostats', '-i', path, '-af', `silencedetect=noise=${noise}dB:d=${min}`, '-f', 'null', '-'];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new CastlineError('ffmpeg-failed', `ffmpeg could not analyse pauses in ${path}`, { details: `${ffmpeg} ${args.join(' ')}\n${stderr.slice(-2000)}` }));
        return;
      }
      resolve(parseSilenceDetect(stderr, options.totalDuration));
    });
  });
}
