import { cardTextFilters } from '../media/encode-args.js';

/** Apple's largest artwork size (1400–3000 px square): the cover init draws. */
export const COVER_SIZE = { width: 3000, height: 3000 } as const;

/**
 * ffmpeg arguments (data, STYLE §3) for a generated cover: a plain field with the show's title
 * drawn large and its author above, in the show font, through the title cards' drawtext
 * filters (cardTextFilters: every text escaped by escapeFilterValue, `expansion=none`).
 */
export function coverArgs(input: { title: string; kicker: string; font: string }, out: string): string[] {
  const field = `color=c=0x14213d:s=${COVER_SIZE.width}x${COVER_SIZE.height}:d=1`;
  const text = cardTextFilters({ title: input.title, kicker: input.kicker, font: input.font }, COVER_SIZE, 1 / 10);
  return ['-f', 'lavfi', '-i', field, '-vf', [...text, 'format=rgb24'].join(','), '-frames:v', '1', '-f', 'image2', '-c:v', 'png', '-y', out];
}
