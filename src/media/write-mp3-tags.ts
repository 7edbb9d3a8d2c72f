import { readFile } from 'node:fs/promises';
import NodeID3 from 'node-id3';
import { CastlineError } from '../core/errors.js';
import type { Chapter } from '../records/build-record.js';

export interface Mp3TagInput {
  title: string;
  artist: string;
  album: string;
  /** YYYY-MM-DD publication date. */
  date: string;
  comment: string;
  cover: { path: string; mime: 'image/png' | 'image/jpeg' };
  chapters: readonly Chapter[];
}

/**
 * The ID3v2.3 tag as node-id3 data (pure). Chapters follow the ID3v2 Chapter Frame Addendum
 * (id3.org/id3v2-chapters-1.0): one CHAP per chapter with a TIT2 title, and one top-level,
 * ordered CTOC listing them, which podcast apps need to show chapters at all.
 */
export function mp3Tags(input: Mp3TagInput, coverBuffer: Buffer): NodeID3.Tags {
  const [yyyy, mm, dd] = input.date.split('-');
  const ids = input.chapters.map((_, i) => `chp${i}`);
  return {
    title: input.title,
    artist: input.artist,
    album: input.album,
    // ID3v2.3 splits the date: TYER = year, TDAT = DDMM (ID3v2.3 §4.2.1).
    year: yyyy ?? '',
    date: `${dd ?? ''}${mm ?? ''}`,
    genre: 'Podcast',
    comment: { language: 'eng', text: input.comment },
    image: { mime: input.cover.mime, type: { id: 3, name: 'front cover' }, description: 'Cover', imageBuffer: coverBuffer },
    chapter: input.chapters.map((c, i) => ({
      elementID: ids[i] ?? `chp${i}`,
      startTimeMs: Math.round(c.startTime * 1000),
      endTimeMs: Math.round(c.endTime * 1000),
      tags: { title: c.title },
    })),
    tableOfContents: [{ elementID: 'toc', isOrdered: true, elements: ids, tags: { title: 'Chapters' } }],
  };
}

/** Write the tag into an encoded MP3 (replacing any tag), then read it back and verify it. */
export async function writeMp3Tags(file: string, input: Mp3TagInput): Promise<void> {
  const tags = mp3Tags(input, await readFile(input.cover.path));
  try {
    await NodeID3.Promise.write(tags, file);
  } catch (error) {
    throw new CastlineError('id3-failed', `Could not write ID3 tags into ${file}`, { details: String(error), cause: error });
  }
  const back = await NodeID3.Promise.read(file);
  const chapters = back.chapter ?? [];
  const toc = back.tableOfContents?.[0];
  const problems: string[] = [];
  if (back.title !== input.title) problems.push('title');
  if (chapters.length !== input.chapters.length) problems.push(`${chapters.length} CHAP frames instead of ${input.chapters.length}`);
  if (input.chapters.length && (!toc || toc.elements?.length !== input.chapters.length)) problems.push('CTOC frame');
  if (!back.image) problems.push('cover art');
  if (problems.length) {
    throw new CastlineError('id3-verify-failed', `The ID3 tag read back from ${file} is wrong: ${problems.join(', ')}`, {
      hint: 'this is a castline bug: rerun with --debug and report it',
    });
  }
}
