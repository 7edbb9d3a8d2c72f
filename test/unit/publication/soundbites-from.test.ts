import { describe, expect, it } from 'vitest';
import { soundbitesFrom } from '../../../src/publication/soundbites-from.js';

describe('soundbitesFrom', () => {
  it('orders moments by time, keeps each once, cleans and bounds titles', () => {
    const long = 'ü'.repeat(130);
    const out = soundbitesFrom([
      { start: 90, duration: 30, title: 'Later\u0007 one' },
      { start: 12.0004, duration: 20, title: 'From a clip' },
      { start: 12, duration: 20, title: 'The same moment, listed as a soundbite' },
      { start: 40, duration: 15, title: long },
      { start: 50, duration: 0 },
    ]);
    expect(out).toEqual([
      { start: 12, duration: 20, title: 'From a clip' },
      { start: 40, duration: 15, title: 'ü'.repeat(128) },
      { start: 90, duration: 30, title: 'Later one' },
    ]);
  });
  it('leaves the title out when there is none (apps use the episode title)', () => {
    expect(soundbitesFrom([{ start: 1, duration: 20, title: '  ' }])).toEqual([{ start: 1, duration: 20 }]);
  });
});
