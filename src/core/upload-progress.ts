import cliProgress from 'cli-progress';
import { formatBytes, type Reporter } from './reporter.js';
import { formatDuration } from './clock.js';

/**
 * Upload progress: a bar with bytes, speed and ETA on a terminal (cli-progress), plain lines
 * every 10 % otherwise (CI logs, pipes). Speed is measured over this run's bytes only, so a
 * resumed upload does not claim the bytes sent by an earlier process.
 */
export interface UploadProgress {
  update(sent: number): void;
  stop(): void;
}

export function createUploadProgress(reporter: Reporter, label: string, total: number, now: () => number = Date.now): UploadProgress {
  const started = now();
  let first: number | undefined;
  const stats = (sent: number): { speed: string; eta: string } => {
    first ??= sent;
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? (sent - first) / elapsed : 0;
    return { speed: `${formatBytes(Math.round(rate))}/s`, eta: rate > 0 ? formatDuration((total - sent) / rate) : '?' };
  };
  if (reporter.tty && !reporter.json) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {sentH} of {totalH} | {speed} | ETA {etaText}`, hideCursor: true, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { sentH: formatBytes(0), totalH: formatBytes(total), speed: '-', etaText: '?' });
    return {
      update: (sent) => {
        const s = stats(sent);
        bar.update(sent, { sentH: formatBytes(sent), speed: s.speed, etaText: s.eta });
      },
      stop: () => bar.stop(),
    };
  }
  let lastTenth = -1;
  return {
    update: (sent) => {
      const tenth = Math.floor((sent / total) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      const s = stats(sent);
      reporter.info(`${label}: ${formatBytes(sent)} of ${formatBytes(total)} (${Math.floor((sent / total) * 100)}%), ${s.speed}, ETA ${s.eta}`);
    },
    stop: () => undefined,
  };
}
