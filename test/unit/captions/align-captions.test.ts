import { describe, expect, it } from 'vitest';
import { alignCaptions, groupSections } from '../../../src/captions/align-captions.js';
import type { Envelope } from '../../../src/captions/find-pauses.js';
import type { ScriptDoc } from '../../../src/script/script-doc.js';
import { countSyllables } from '../../../src/captions/split-sentences.js';
import { cueRuleViolations } from './helpers/check-captions.js';

function script(sections: [string, string][]): ScriptDoc {
  return {
    episodeId: 'e',
    sourceHash: '',
    edited: false,
    totalSeconds: 0,
    sections: sections.map(([id, text]) => ({ id, title: id, kind: 'body', paragraphs: [text], text, cues: [], words: 0, estimateSeconds: 0 })),
  };
}

/** A synthetic envelope: each sentence is speech at 0.2 s per syllable, pauses between. */
function speak(sentences: string[], gaps: number[]): { envelope: Envelope; starts: number[]; duration: number } {
  const frames: number[] = [];
  const starts: number[] = [];
  const push = (db: number, seconds: number) => {
    for (let i = 0; i < Math.round(seconds * 100); i++) frames.push(db + ((i * 7) % 5));
  };
  push(-70, 1);
  sentences.forEach((s, i) => {
    starts.push(frames.length / 100);
    push(-15, countSyllables(s) * 0.2);
    push(-70, gaps[i] ?? 1);
  });
  return { envelope: { db: Float32Array.from(frames), hop: 0.01 }, starts, duration: frames.length / 100 };
}

const A = ['Welcome to the show, everyone.', 'This week we read three papers about transformers.', 'Let us begin.'];
const B = ['The first paper studies superposition in small models.', 'It finds that sparse features share directions.', 'That makes single neurons hard to read.', 'Code is available.'];

describe('groupSections', () => {
  it('aligns sections alone where bounds are exact, and runs of estimated ones together', () => {
    const doc = script([['a', 'One.'], ['b', 'Two.'], ['c', 'Three.'], ['d', 'Four.']]);
    const groups = groupSections(doc, [
      { id: 'a', start: 1, end: 10, exact: true },
      { id: 'b', start: 11, end: 20, exact: false },
      { id: 'c', start: 20, end: 30, exact: false },
      { id: 'd', start: 31, end: 40, exact: true },
    ], 42);
    expect(groups.map((g) => [g.span, g.sentences.map((s) => s.sectionId)])).toEqual([
      [{ start: 1, end: 10 }, ['a']],
      [{ start: 10, end: 31 }, ['b', 'c']],
      [{ start: 31, end: 40 }, ['d']],
    ]);
  });
});

describe('alignCaptions', () => {
  it('times sentences on the pauses and makes cues that obey the rules', () => {
    const { envelope, starts, duration } = speak([...A, ...B], [0.5, 0.4, 1.5, 0.6, 0.3, 0.7, 1]);
    const bounds = [
      { id: 'intro', start: starts[0]!, end: starts[3]! - 1.4, exact: true },
      { id: 'papers', start: starts[3]!, end: duration - 1, exact: true },
    ];
    const result = alignCaptions({ script: script([['intro', A.join(' ')], ['papers', `${B.join(' ')} [music]`]]), sections: bounds, envelope, durationSeconds: duration });
    result.sentences.forEach((s, i) => expect(s.start).toBeCloseTo(starts[i]!, 1));
    expect(result.confidence).toBe(1);
    expect(result.changedRegions).toEqual([]);
    expect(cueRuleViolations(result.cues, duration)).toEqual([]);
    expect(result.cues.map((c) => c.lines.join(' ')).join(' ')).toBe([...A, ...B].join(' '));
  });

  it('reports script text that was never recorded and leaves it out of the captions', () => {
    const { envelope, starts, duration } = speak(B, [0.5, 0.6, 0.5, 1]);
    const added = 'Since recording we added this long sentence about an entirely different and much longer topic to the script.';
    const doc = script([['papers', [B[0], B[1], added, B[2], B[3]].join(' ')]]);
    const result = alignCaptions({ script: doc, sections: [{ id: 'papers', start: starts[0]!, end: duration - 1, exact: true }], envelope, durationSeconds: duration });
    expect(result.changedRegions.length).toBeGreaterThanOrEqual(1);
    expect(result.changedRegions[0]!.note).toMatch(/script\.md/);
    expect(result.cues.map((c) => c.lines.join(' ')).join(' ')).not.toContain('Since recording');
    expect(result.confidence).toBeLessThan(1);
  });
});
