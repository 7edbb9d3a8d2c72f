import { describe, expect, it } from 'vitest';
import { musicMargins } from '../../../src/media/music-margins.js';

describe('musicMargins', () => {
  it('puts the speech after the intro less the crossfade, and before the outro less the crossfade', () => {
    expect(musicMargins({ introSeconds: 3, outroSeconds: 5, crossfade: 1 })).toEqual({ lead: 2, tail: 4 });
  });
  it('is zero without music, and never negative for music shorter than the crossfade', () => {
    expect(musicMargins({ introSeconds: undefined, outroSeconds: undefined, crossfade: 2 })).toEqual({ lead: 0, tail: 0 });
    expect(musicMargins({ introSeconds: 1.5, outroSeconds: undefined, crossfade: 2 })).toEqual({ lead: 0, tail: 0 });
  });
  it('is the whole music with a butt join (no crossfade)', () => {
    expect(musicMargins({ introSeconds: 4.25, outroSeconds: 0.5, crossfade: 0 })).toEqual({ lead: 4.25, tail: 0.5 });
  });
});
