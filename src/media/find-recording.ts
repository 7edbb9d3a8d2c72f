import { CastlineError } from '../core/errors.js';

/** Audio formats a host may drop in audio/ (anything ffmpeg decodes works; these are looked for). */
export const AUDIO_EXT = /\.(wav|flac|mp3|m4a|ogg|opus|aiff?)$/i;
export const LABELS_FILE = 'labels.txt';
/**
 * A section's own visual: an image, or a short video (screen recording, B-roll) that is
 * trimmed or looped to the section with its sound dropped (issue 15).
 */
export const VISUAL_EXTS = ['png', 'jpg', 'jpeg', 'mp4', 'mov', 'webm'] as const;
export const VIDEO_VISUAL = /\.(mp4|mov|webm)$/i;
export function visualKind(file: string): 'image' | 'video' {
  return VIDEO_VISUAL.test(file) ? 'video' : 'image';
}

/** Camera recordings a host may drop in video/ (OBS, phones and Zoom write these). */
export const CAMERA_EXT = /\.(mp4|m4v|mov|mkv|webm)$/i;

/** The one camera recording in video/, if any (pure); two are an error naming both. */
export function findCamera(files: readonly string[], videoDirRel: string): string | undefined {
  const found = files.filter((f) => CAMERA_EXT.test(f) && !f.startsWith('.')).sort();
  if (found.length > 1) {
    throw new CastlineError('camera-ambiguous', `${videoDirRel}/ holds ${found.length} video files (${found.join(', ')}); castline uses one camera recording per episode`, {
      hint: 'keep the one recording of the episode in video/ and move the others out',
    });
  }
  return found[0];
}

export type Recording =
  | { kind: 'none' }
  | { kind: 'single'; file: string; labels: string | undefined }
  | { kind: 'takes'; takes: { sectionId: string; file: string }[]; missing: string[] };

/**
 * What the audio/ folder holds (pure: file names in, decision out). Either one recording
 * (plus Audacity's labels.txt), or one take per script section named by its id, in script
 * order. A take that matches no section is an error naming the file, since it would silently
 * drop part of what the host recorded.
 */
export function findRecording(files: readonly string[], sectionIds: readonly string[], audioDirRel: string): Recording {
  const audio = files.filter((f) => AUDIO_EXT.test(f) && !f.startsWith('.')).sort();
  if (!audio.length) return { kind: 'none' };
  const stem = (f: string): string => f.replace(AUDIO_EXT, '');
  const matching = audio.filter((f) => sectionIds.includes(stem(f)));
  if (audio.length === 1 && !matching.length) {
    const file = audio[0] ?? '';
    return { kind: 'single', file, labels: files.includes(LABELS_FILE) ? LABELS_FILE : undefined };
  }
  const stray = audio.find((f) => !sectionIds.includes(stem(f)));
  if (stray) {
    throw new CastlineError('take-without-section', `${audioDirRel}/${stray} is a take with no matching section in script.md`, {
      hint: `name each take after a section id (${sectionIds.join(', ')}), or keep a single recording in ${audioDirRel}/`,
    });
  }
  const seen = new Map<string, string>();
  for (const f of audio) {
    const prev = seen.get(stem(f));
    if (prev) {
      throw new CastlineError('duplicate-take', `${audioDirRel}/${prev} and ${audioDirRel}/${f} are both takes of section "${stem(f)}"`, {
        hint: 'keep one take per section and move the other out of audio/',
      });
    }
    seen.set(stem(f), f);
  }
  const takes = sectionIds.filter((id) => seen.has(id)).map((id) => ({ sectionId: id, file: seen.get(id) ?? '' }));
  return { kind: 'takes', takes, missing: sectionIds.filter((id) => !seen.has(id)) };
}
