/**
 * script.md as the host reads it: without its header comment (hashes of the issue and body)
 * and the per-section "≈ 0:12 · 30 words" lines, so an expected script can be written by hand.
 */
export function spokenScript(scriptMd: string): string {
  return scriptMd.replace(/^<!--[\s\S]*?-->\n\n/, '').replace(/^\*≈ [^\n]*\*\n\n/gm, '');
}
