import { isAbsolute, relative, resolve } from 'node:path';

/**
 * Figure cues (issue 15): the line script.md keeps for each image of the issue,
 *
 *   [image: <alt text>](visuals/figure-1.png)
 *   [image: <alt text>](https://example.com/chart.png) <!-- not downloaded: HTTP 404; … -->
 *
 * A markdown link whose text starts with "image" and whose target is the picture: the host
 * sees what to show and can open the file from an editor's preview. The cue is never spoken;
 * where it stands (which sentences come before it) is where the video shows the figure.
 * Pure: rendering and reading the cue text only.
 */

export interface FigureCue {
  alt: string;
  /** `visuals/figure-1.png` (relative to the episode folder), or the URL when not downloaded. */
  target: string;
}

/** `[image: alt](target)` anywhere in a line (the target has no spaces: URLs are encoded). */
export const FIGURE_CUE_RE = /\[image(?::\s*([^\]]*))?\]\(\s*<?([^()\s<>]+)>?\s*\)/g;

/** Alt text as it can stand in the cue: no brackets or newlines (they would end the cue). */
export function cueAlt(alt: string): string {
  return alt.replace(/[[\]]/g, '').replace(/\s+/g, ' ').trim();
}

/** A target as a link destination: no spaces or parentheses (percent-encoded). */
export function cueTarget(target: string): string {
  return target.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** What a host reads in an HTML comment: no `--` (which would end the comment early). */
function commentText(text: string): string {
  return text.replace(/--+>/g, '–>').replace(/[\r\n]+/g, ' ').trim();
}

/** The cue line; `note` (why an image was not downloaded, what to do) follows as a comment. */
export function renderFigureCue(cue: FigureCue, note?: string): string {
  const alt = cueAlt(cue.alt);
  const line = `[image${alt ? `: ${alt}` : ''}](${cueTarget(cue.target)})`;
  return note ? `${line} <!-- ${commentText(note)} -->` : line;
}

/** Every figure cue in a line of script.md, in order. */
export function findFigureCues(line: string): FigureCue[] {
  return [...line.matchAll(FIGURE_CUE_RE)].map((m) => ({ alt: (m[1] ?? '').trim(), target: m[2] ?? '' }));
}

/** A line that holds figure cues and nothing to read (comments aside). */
export function isFigureLine(line: string): boolean {
  const rest = line.replace(FIGURE_CUE_RE, ' ').replace(/<!--[\s\S]*?-->/g, ' ').trim();
  return rest === '' && findFigureCues(line).length > 0;
}

/** True when the target is an address to download rather than a file in the episode folder. */
export function isRemoteTarget(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/**
 * Where a local target is, or undefined when it leaves the episode folder (`../`, an absolute
 * path): the build reads figures from the episode's own folder only.
 */
export function figurePath(episodeDir: string, target: string): string | undefined {
  let path = target;
  try {
    path = decodeURIComponent(target);
  } catch {
    // a stray % is part of the name
  }
  if (isAbsolute(path)) return undefined;
  const abs = resolve(episodeDir, path);
  const inside = relative(episodeDir, abs);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? abs : undefined;
}
