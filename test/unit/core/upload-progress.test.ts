import { describe, expect, it } from 'vitest';
import { createUploadProgress } from '../../../src/core/upload-progress.js';
import type { Reporter } from '../../../src/core/reporter.js';

function lines(): { reporter: Reporter; out: string[] } {
  const out: string[] = [];
  const reporter: Reporter = { json: false, tty: false, info: (m) => out.push(m), warn: () => undefined, done: () => undefined, debug: () => undefined, result: () => undefined };
  return { reporter, out };
}

describe('upload progress without a terminal', () => {
  it('prints a line per 10 %, with bytes, speed and ETA measured on this run only', () => {
    const { reporter, out } = lines();
    let t = 0;
    const MB = 1024 * 1024;
    const p = createUploadProgress(reporter, 'ep: uploading', 100 * MB, () => t);
    // Resumed at 50 MB: the speed counts only what this process sent.
    p.update(50 * MB);
    t = 1000;
    p.update(55 * MB);
    t = 2000;
    p.update(60 * MB);
    p.update(61 * MB);
    expect(out).toEqual([
      'ep: uploading: 50.0 MB of 100.0 MB (50%), 0 B/s, ETA ?',
      'ep: uploading: 60.0 MB of 100.0 MB (60%), 5.0 MB/s, ETA 0:08',
    ]);
  });
});
