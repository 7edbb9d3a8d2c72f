import { describe, expect, it } from 'vitest';
import { findRecording } from '../../../src/media/find-recording.js';

const ids = ['intro', 'news', 'outro'];
const dir = 'episodes/2023-01-20-x/audio';

describe('findRecording', () => {
  it('no audio → not recorded', () => {
    expect(findRecording(['.DS_Store', 'notes.txt'], ids, dir)).toEqual({ kind: 'none' });
  });
  it('one file not named by a section → a single recording, with labels.txt when present', () => {
    expect(findRecording(['take1.WAV', 'labels.txt'], ids, dir)).toEqual({ kind: 'single', file: 'take1.WAV', labels: 'labels.txt' });
  });
  it('files named by section ids → takes in script order, listing sections without a take', () => {
    expect(findRecording(['outro.ogg', 'intro.flac'], ids, dir)).toEqual({
      kind: 'takes',
      takes: [
        { sectionId: 'intro', file: 'intro.flac' },
        { sectionId: 'outro', file: 'outro.ogg' },
      ],
      missing: ['news'],
    });
  });
  it('a take without a section is an error naming the file and the ids', () => {
    expect(() => findRecording(['intro.ogg', 'bloopers.ogg'], ids, dir)).toThrow(`${dir}/bloopers.ogg is a take with no matching section in script.md`);
  });
  it('two takes of one section is an error naming both', () => {
    expect(() => findRecording(['intro.ogg', 'intro.wav'], ids, dir)).toThrow(/intro\.ogg and .*intro\.wav are both takes of section "intro"/);
  });
});
