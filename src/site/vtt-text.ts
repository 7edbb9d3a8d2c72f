/**
 * The readable text of a WebVTT file (W3C WebVTT §4): cue payloads in order, without the
 * header, cue identifiers, timings, NOTE/STYLE/REGION blocks or inline tags. The site shows
 * it as the episode's transcript.
 */
export function vttToText(vtt: string): string[] {
  const blocks = vtt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const cues: string[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    const timing = lines.findIndex((l) => l.includes('-->'));
    if (timing < 0) continue;
    const text = lines
      .slice(timing + 1)
      .join(' ')
      .replace(/<[^>]*>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .trim();
    if (text) cues.push(text);
  }
  return cues;
}

/** Cues joined into paragraphs of about `perParagraph` cues, for reading. */
export function transcriptParagraphs(cues: readonly string[], perParagraph = 6): string[] {
  const paragraphs: string[] = [];
  for (let i = 0; i < cues.length; i += perParagraph) paragraphs.push(cues.slice(i, i + perParagraph).join(' '));
  return paragraphs;
}
