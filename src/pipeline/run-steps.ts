/**
 * Run a list of steps over one context (unbuild's `build.ts` runs its builders in order over
 * one `ctx`). Each step names the steps it needs (`after`); a step starts as soon as those are
 * done, so independent encodes run side by side, and steps whose needs are met together start
 * in list order (ffmpeg processes queue in start order, so the list order is the priority).
 * A step whose `when` says no is skipped and counts as done. After a failure nothing new
 * starts; the running steps are awaited (no ffmpeg outlives the build) and the failure of the
 * earliest step in the list is thrown: a dependency always comes before what needs it.
 */
export interface Step<C> {
  name: string;
  after?: readonly string[];
  when?: (ctx: C) => boolean;
  run: (ctx: C) => Promise<void>;
}

type State = 'waiting' | 'running' | 'done' | 'skipped' | 'failed';

export function checkStepOrder<C>(steps: readonly Step<C>[]): void {
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.name)) throw new Error(`step "${step.name}" is listed twice`);
    for (const need of step.after ?? []) {
      if (!seen.has(need)) throw new Error(`step "${step.name}" needs "${need}", which is not listed before it`);
    }
    seen.add(step.name);
  }
}

/** Returns the names of the steps that ran (not skipped), in start order. */
export function runSteps<C>(steps: readonly Step<C>[], ctx: C): Promise<string[]> {
  checkStepOrder(steps);
  const state = new Map<string, State>(steps.map((s) => [s.name, 'waiting']));
  const failures = new Map<string, unknown>();
  const started: string[] = [];
  let running = 0;
  return new Promise((resolve, reject) => {
    const pump = (): void => {
      if (!failures.size) {
        for (const step of steps) {
          if (state.get(step.name) !== 'waiting') continue;
          const ready = (step.after ?? []).every((n) => state.get(n) === 'done' || state.get(n) === 'skipped');
          if (!ready) continue;
          let go: boolean;
          try {
            go = step.when ? step.when(ctx) : true;
          } catch (error) {
            state.set(step.name, 'failed');
            failures.set(step.name, error);
            break;
          }
          if (!go) {
            state.set(step.name, 'skipped');
            continue;
          }
          state.set(step.name, 'running');
          started.push(step.name);
          running++;
          Promise.resolve()
            .then(() => step.run(ctx))
            .then(
              () => state.set(step.name, 'done'),
              (error: unknown) => {
                state.set(step.name, 'failed');
                failures.set(step.name, error);
              },
            )
            .finally(() => {
              running--;
              pump();
            });
        }
      }
      if (running > 0) return;
      const first = steps.find((s) => failures.has(s.name));
      if (first) reject(failures.get(first.name));
      else resolve(started);
    };
    pump();
  });
}
