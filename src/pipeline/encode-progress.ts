import cliProgress from 'cli-progress';
import type { Reporter } from '../core/reporter.js';

/**
 * Progress of the encodes: one cli-progress bar per encode on a TTY (percent, speed, ETA from
 * ffmpeg's `-progress`), plain start/finish lines otherwise (logs, CI, --json runs).
 */
export interface EncodeProgress {
  start(label: string): EncodeTask;
  /** Stop drawing bars (before printing a summary or an error). */
  close(): void;
}

export interface EncodeTask {
  update(fraction: number | undefined, speed: number | undefined): void;
  finish(detail?: string): void;
}

export function createEncodeProgress(reporter: Reporter, stream: NodeJS.WriteStream = process.stderr): EncodeProgress {
  if (!reporter.tty || reporter.json) {
    return {
      start(label) {
        const started = performance.now();
        reporter.info(`  ${label}…`);
        return {
          update: () => undefined,
          finish: (detail) => reporter.done(`${label} (${((performance.now() - started) / 1000).toFixed(1)} s${detail ? `, ${detail}` : ''})`),
        };
      },
      close: () => undefined,
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: ' {label} |{bar}| {percentage}% | {speed} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 20,
      fps: 8,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(label) {
      const bar = multi.create(1000, 0, { label: label.padEnd(28).slice(0, 28), speed: '   -  ' });
      return {
        update(fraction, speed) {
          bar.update(Math.round((fraction ?? 0) * 1000), { speed: speed ? `${speed.toFixed(1)}×`.padStart(6) : '   -  ' });
        },
        finish() {
          bar.update(1000);
          bar.stop();
        },
      };
    },
    close: () => multi.stop(),
  };
}
