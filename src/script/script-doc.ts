/**
 * The script as later stages see it (media, chapters, captions, notes). `script.md` is the
 * source of truth once generated: the host edits it, and `parseScriptMd` reads it back.
 * Owned by the script stage; the shape here is the contract with media/captions/youtube.
 */
export interface ScriptSection {
  /** Stable id: slug of the heading, unique in the script; names audio/<id>.wav and visuals/<id>.png. */
  id: string;
  /** Chapter title as written in the `## <Title> {#id}` heading. */
  title: string;
  kind: 'intro' | 'body' | 'outro';
  /** Spoken paragraphs, exactly what the host reads (host cues in [brackets] removed). */
  paragraphs: string[];
  /** `paragraphs` joined with blank lines. */
  text: string;
  /** Host cues found in the section (without brackets), not spoken. */
  cues: string[];
  words: number;
  estimateSeconds: number;
}

export interface ScriptDoc {
  /** Episode id from the header. */
  episodeId: string;
  /** sha256 of the issue.md the script was generated from. */
  sourceHash: string;
  sections: ScriptSection[];
  totalSeconds: number;
  /** True when the body no longer matches the hash recorded at generation (host edited it). */
  edited: boolean;
}
