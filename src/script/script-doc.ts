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
  /** Figure cues (`[image: alt](visuals/figure-1.png)`), where they stand in the section. */
  figures?: ScriptFigure[] | undefined;
  words: number;
  estimateSeconds: number;
}

/** A figure the video shows from where its cue stands in the recording (issue 15). */
export interface ScriptFigure {
  alt: string;
  /** A path relative to the episode folder (visuals/figure-1.png), or a URL not downloaded. */
  target: string;
  /** The script.md line of the cue (1-based; 0 when not read from a file). */
  line: number;
  /** How many of the section's spoken paragraphs come before the cue. */
  afterParagraphs: number;
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
