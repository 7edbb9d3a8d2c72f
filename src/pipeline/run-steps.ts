/**
 * Run a list of steps over one context (unbuild's `build.ts` runs its builders in order over
 * one `ctx`). Each step names the steps it needs (`after`); a step starts as soon as those are
 * done, so independent encodes run side by side, and steps whose needs are met together start
 * in list order (ffmpeg processes queue in start order, so the list order is the priority).
 * A step whose `when` says no is skipped and counts as done. After a failure nothing new
 * starts; the running steps are awaited (no ffmpeg outlives the build) and the failure of the
 * earliest step in the list is thrown: a dependency always comes before what needs it.
 * A step may also need another only before it *finishes* (`finishAfter`: the MP3 encode starts
 * at once, its tags wait for the chapter pictures): it awaits `steps.finished(name)` in `run`.
 * With `abort`, the first failure also aborts it, so a long encode that listens to its signal
 * (the camera picture, started before the analysis that may fail) stops instead of running to
 * its end; a step that failed only because of that abort (an `AbortError`) is never the one
 * reported while a real failure is known.
 */
export interface Step<C> {
  name: string;
  after?: readonly string[];
  /** Steps this one awaits (steps.finished) before it ends, but not before it starts. */
  finishAfter?: readonly string[];
  when?: (ctx: C) => boolean;
  run: (ctx: C, steps: StepWaits) => Promise<void>;
}

export interface StepWaits {
  /** Resolves when the step is done or skipped; rejects when it failed or will not run (the build stopped). */
  finished(name: string): Promise<void>;
}

type State = 'waiting' | 'running' | 'done' | 'skipped' | 'failed';

export function checkStepOrder<C>(steps: readonly Step<C>[]): void {
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.name)) throw new Error(`step "${step.name}" is listed twice`);
    for (const need of [...(step.after ?? []), ...(step.finishAfter ?? [])]) {
      if (!seen.has(need)) throw new Error(`step "${step.name}" needs "${need}", which is not listed before it`);
    }
    seen.add(step.name);
  }
}

/** Returns the names of the steps that ran (not skipped), in start order. */
const isAbort = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

export function runSteps<C>(steps: readonly Step<C>[], ctx: C, abort?: AbortController): Promise<string[]> {
  checkStepOrder(steps);
  const state = new Map<string, State>(steps.map((s) => [s.name, 'waiting']));
  const failures = new Map<string, unknown>();
  const started: string[] = [];
  let running = 0;
  const waits = new Map<string, { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void }>();
  const waitFor = (name: string): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } => {
    let w = waits.get(name);
    if (!w) {
      let resolve = (): void => undefined;
      let reject = (_: unknown): void => undefined;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => undefined); // a failure is thrown by runSteps; the waiter sees it too
      w = { promise, resolve, reject };
      waits.set(name, w);
    }
    return w;
  };
  /** Settle the waits on every step that has ended (or, after a failure, will not start). */
  const settleWaits = (): void => {
    for (const [name, w] of waits) {
      const st = state.get(name);
      if (st === 'done' || st === 'skipped') w.resolve();
      else if (st === 'failed') w.reject(failures.get(name));
      else if (st === 'waiting' && failures.size) w.reject(new Error(`step "${name}" did not run: the build stopped after a failure`));
    }
  };
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
            abort?.abort();
            break;
          }
          if (!go) {
            state.set(step.name, 'skipped');
            continue;
          }
          state.set(step.name, 'running');
          started.push(step.name);
          running++;
          const allowed = new Set(step.finishAfter ?? []);
          const steps: StepWaits = {
            finished: (name) => {
              if (!allowed.has(name)) return Promise.reject(new Error(`step "${step.name}" waits for "${name}", which is not in its finishAfter`));
              const w = waitFor(name);
              settleWaits(); // it may have ended already
              return w.promise;
            },
          };
          Promise.resolve()
            .then(() => step.run(ctx, steps))
            .then(
              () => state.set(step.name, 'done'),
              (error: unknown) => {
                state.set(step.name, 'failed');
                failures.set(step.name, error);
                abort?.abort();
              },
            )
            .finally(() => {
              running--;
              pump();
            });
        }
      }
      settleWaits();
      if (running > 0) return;
      const first = steps.find((s) => failures.has(s.name) && !isAbort(failures.get(s.name))) ?? steps.find((s) => failures.has(s.name));
      if (first) reject(failures.get(first.name));
      else resolve(started);
    };
    pump();
  });
}
