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
  /** Per chapter id: its picture (a JPEG), written as an APIC frame inside its CHAP. */
  chapterImages?: Readonly<Record<string, string>>;
  /** Per chapter id: its link, written as a WXXX frame inside its CHAP. */
  chapterLinks?: Readonly<Record<string, string>>;
}

/**
 * The ID3v2.3 tag as node-id3 data (pure). Chapters follow the ID3v2 Chapter Frame Addendum
 * (id3.org/id3v2-chapters-1.0): one CHAP per chapter with a TIT2 title, and one top-level,
 * ordered CTOC listing them, which podcast apps need to show chapters at all (the bundled
 * ffmpeg writes CHAP without CTOC, so the whole tag is written here). The addendum's §3 lets a
 * CHAP carry embedded frames: each chapter's picture goes in as APIC (picture type 0,
 * "Other") and its link as WXXX, the frames Apple Podcasts and Overcast show as chapter art
 * and chapter links.
 */
export function mp3Tags(input: Mp3TagInput, coverBuffer: Buffer, chapterImages: ReadonlyMap<string, Buffer> = new Map()): NodeID3.Tags {
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
      tags: chapterFrames(c, chapterImages.get(c.id), input.chapterLinks?.[c.id]),
    })),
    tableOfContents: [{ elementID: 'toc', isOrdered: true, elements: ids, tags: { title: 'Chapters' } }],
  };
}

function chapterFrames(c: Chapter, image: Buffer | undefined, url: string | undefined): NodeID3.Tags {
  return {
    title: c.title,
    ...(image ? { image: { mime: 'image/jpeg', type: { id: 0, name: 'other' }, description: '', imageBuffer: image } } : {}),
    ...(url ? { userDefinedUrl: [{ description: '', url }] } : {}),
  };
}

/** Write the tag into an encoded MP3 (replacing any tag), then read it back and verify it. */
export async function writeMp3Tags(file: string, input: Mp3TagInput): Promise<void> {
  const images = new Map<string, Buffer>();
  for (const [id, path] of Object.entries(input.chapterImages ?? {})) images.set(id, await readFile(path));
  const tags = mp3Tags(input, await readFile(input.cover.path), images);
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
  const withImage = chapters.filter((c) => c.tags?.image && typeof c.tags.image !== 'string').length;
  const wantImage = input.chapters.filter((c) => images.has(c.id)).length;
  if (withImage !== wantImage) problems.push(`${withImage} chapter pictures instead of ${wantImage}`);
  if (problems.length) {
    throw new CastlineError('id3-verify-failed', `The ID3 tag read back from ${file} is wrong: ${problems.join(', ')}`, {
      hint: 'this is a castline bug: rerun with --debug and report it',
    });
  }
}
