import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createEncodeProgress } from '../../../src/pipeline/encode-progress.js';
import type { Reporter } from '../../../src/core/reporter.js';

function fakeReporter(tty: boolean, lines: string[]): Reporter {
  return { json: false, tty, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), done: (m) => lines.push(`done ${m}`), debug: () => undefined, result: () => undefined };
}

describe('encode progress', () => {
  it('prints plain start and finish lines when stderr is not a terminal', () => {
    const lines: string[] = [];
    const progress = createEncodeProgress(fakeReporter(false, lines));
    const task = progress.start('ep mp3');
    task.update(0.5, 40);
    task.finish('128 kbit/s');
    expect(lines[0]).toBe('info   ep mp3…');
    expect(lines[1]).toMatch(/^done ep mp3 \(\d+\.\d s, 128 kbit\/s\)$/);
    expect(lines).toHaveLength(2);
  });

  it('draws a bar with percent and speed on a terminal', () => {
    let out = '';
    const stream = Object.assign(
      new Writable({
        write(chunk, _enc, cb) {
          out += String(chunk);
          cb();
        },
      }),
      { isTTY: true, columns: 120, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true },
    ) as unknown as NodeJS.WriteStream;
    const progress = createEncodeProgress(fakeReporter(true, []), stream);
    const task = progress.start('ep mp3');
    task.update(0.42, 38.5);
    progress.close();
    expect(out).toContain('ep mp3');
    expect(out).toMatch(/42%/);
    expect(out).toMatch(/38\.5×/);
  });
});
