import type { SectionBound } from '../src/captions/index.js';

export interface FixtureSection {
  id: string;
  title: string;
  kind: 'intro' | 'body' | 'outro';
  sentences: string[];
}

export interface TrueSentence {
  sectionId: string;
  text: string;
  start: number;
  end: number;
}

export interface AlignmentFixture {
  mp3Path: string;
  durationSeconds: number;
  truth: TrueSentence[];
  sections: SectionBound[];
  seed: number;
}

export const FIXTURE_SECTIONS: FixtureSection[];
export function seededRandom(seed: number): () => number;
export function makeAlignmentFixture(options: { outDir: string; seed?: number; sections?: FixtureSection[]; noise?: boolean }): Promise<AlignmentFixture>;
