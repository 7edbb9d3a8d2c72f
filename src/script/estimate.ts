/** Words read aloud and the time they take at a reading speed (words per minute). */
export function countWords(text: string): number {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;
}

export function estimateSeconds(words: number, wpm: number): number {
  return Math.round((words / wpm) * 60);
}

