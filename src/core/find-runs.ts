/**
 * Runs of consecutive items that pass `test`, as [start, end) index pairs in order. Pauses in
 * a level envelope, quiet frames, blips: every frame-by-frame scan in castline is a run scan.
 */
export function findRuns<T>(items: ArrayLike<T>, test: (item: T, index: number) => boolean): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i <= items.length; i++) {
    const inside = i < items.length && test(items[i] as T, i);
    if (inside && start < 0) start = i;
    else if (!inside && start >= 0) {
      runs.push({ start, end: i });
      start = -1;
    }
  }
  return runs;
}
