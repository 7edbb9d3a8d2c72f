import { describe, expect, it } from 'vitest';
import { planCues, type TimedText } from '../../../src/captions/plan-cues.js';
import { seededRandom } from '../../../scripts/make-alignment-fixture.mjs';
import { cueRuleViolations } from './helpers/check-captions.js';

const words = 'the model stores features in superposition while sparse inputs share directions and interference grows'.split(' ');

describe('planCues', () => {
  it('keeps aligned chunks as they are when they already obey the rules', () => {
    const cues = planCues([{ text: 'Hello there, welcome back.', start: 1, end: 3 }, { text: 'This week: transformers.', start: 3.5, end: 5.5 }], 10);
    expect(cues).toEqual([
      { start: 1, end: 3.4, lines: ['Hello there, welcome back.'] },
      { start: 3.5, end: 5.9, lines: ['This week: transformers.'] },
    ]);
  });

  it('stretches a short cue to 1 s, taking time from the next one when the gap is too small', () => {
    const cues = planCues([{ text: 'Yes.', start: 2, end: 2.3 }, { text: 'The team also releases code, so anyone can reproduce it.', start: 2.5, end: 6 }], 10);
    expect(cues[0]!.end - cues[0]!.start).toBeGreaterThanOrEqual(1);
    expect(cueRuleViolations(cues, 10)).toEqual([]);
  });

  it('splits a chunk held longer than 7 s', () => {
    const cues = planCues([{ text: 'A very slowly read sentence that takes its time.', start: 0, end: 12 }], 20);
    expect(cues.length).toBeGreaterThanOrEqual(2);
    expect(cueRuleViolations(cues, 20)).toEqual([]);
    expect(cues.map((c) => c.lines.join(' ')).join(' ')).toBe('A very slowly read sentence that takes its time.');
  });

  it('keeps the last cue inside the audio', () => {
    const cues = planCues([{ text: 'Bye.', start: 9.8, end: 10.2 }], 10);
    expect(cues).toHaveLength(1);
    expect(cues[0]!.end).toBeLessThanOrEqual(10);
    expect(cues[0]!.end - cues[0]!.start).toBeGreaterThanOrEqual(1);
  });

  it('obeys every cue rule on random timings (seeded)', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      const chunks: TimedText[] = [];
      let t = random() * 2;
      const count = 1 + Math.floor(random() * 12);
      for (let i = 0; i < count; i++) {
        const n = 1 + Math.floor(random() * 10);
        const text = Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ');
        const length = 0.05 + random() * 9;
        chunks.push({ text, start: t, end: t + length });
        t += length + random() * 1.5;
      }
      const duration = t + random() * 2 + 1;
      const cues = planCues(chunks, duration);
      expect(cueRuleViolations(cues, duration), `round ${round}`).toEqual([]);
    }
  });
});
