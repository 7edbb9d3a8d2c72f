import { describe, expect, it } from 'vitest';
import { checkStepOrder, runSteps, type Step } from '../../../src/pipeline/run-steps.js';

/** A step that logs its start and end and finishes when `gate` resolves (or fails with `fail`). */
function step(name: string, log: string[], options: { after?: string[]; when?: () => boolean; gate?: Promise<void>; fail?: string } = {}): Step<unknown> {
  return {
    name,
    after: options.after,
    when: options.when,
    async run() {
      log.push(`start ${name}`);
      await (options.gate ?? Promise.resolve());
      if (options.fail) throw new Error(options.fail);
      log.push(`end ${name}`);
    },
  };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('runSteps', () => {
  it('starts independent steps together, in list order, and a step only after what it needs', async () => {
    const log: string[] = [];
    const a = gate();
    const run = runSteps([step('analyse', log, { gate: a.promise }), step('stills', log), step('mp3', log, { after: ['analyse'] }), step('aac', log, { after: ['analyse'] })], {});
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['start analyse', 'start stills', 'end stills']);
    a.open();
    expect(await run).toEqual(['analyse', 'stills', 'mp3', 'aac']);
    expect(log.slice(3)).toEqual(['end analyse', 'start mp3', 'start aac', 'end mp3', 'end aac']);
  });

  it('skips a step whose `when` says no, and runs what needs it', async () => {
    const log: string[] = [];
    const ran = await runSteps([step('stills', log, { when: () => false }), step('mp4', log, { after: ['stills'] })], {});
    expect(ran).toEqual(['mp4']);
    expect(log).toEqual(['start mp4', 'end mp4']);
  });

  it('after a failure starts nothing new, waits for the running steps, and throws the earliest failure', async () => {
    const log: string[] = [];
    const slow = gate();
    const run = runSteps(
      [step('stills', log, { gate: slow.promise }), step('analyse', log, { fail: 'silent take' }), step('mp3', log, { after: ['analyse'] }), step('late', log, { after: ['stills'] })],
      {},
    );
    let settled = false;
    void run.catch(() => (settled = true));
    await new Promise((r) => setTimeout(r, 5));
    // The failure is known, but the still clip is still encoding: not settled yet.
    expect(settled).toBe(false);
    slow.open();
    await expect(run).rejects.toThrow('silent take');
    expect(log).toEqual(['start stills', 'start analyse', 'end stills']);
  });

  it('with an AbortController, the first failure aborts the long step that listens to it, and the real failure is the one thrown', async () => {
    const log: string[] = [];
    const abort = new AbortController();
    // Like the camera picture: listed first, started at once, ends only when it is done or aborted.
    const picture: Step<unknown> = {
      name: 'camera-video',
      run: () =>
        new Promise<void>((_, reject) => {
          log.push('start camera-video');
          abort.signal.addEventListener('abort', () => {
            log.push('camera-video aborted');
            reject(abort.signal.reason);
          });
        }),
    };
    const run = runSteps([picture, step('analyse', log, { fail: 'silent take' }), step('mp3', log, { after: ['analyse'] })], {}, abort);
    // Without the abort the picture would never end and this would time out.
    await expect(run).rejects.toThrow('silent take');
    expect(abort.signal.aborted).toBe(true);
    expect(log).toEqual(['start camera-video', 'start analyse', 'camera-video aborted']);
  });

  it('reports an AbortError only when no other failure is known', async () => {
    const abort = new AbortController();
    abort.abort();
    const aborted: Step<unknown> = { name: 'camera-video', run: () => Promise.reject(abort.signal.reason) };
    await expect(runSteps([aborted], {}, abort)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a list where a step needs one that is not listed before it', () => {
    expect(() => checkStepOrder([step('mp3', [], { after: ['analyse'] }), step('analyse', [])])).toThrow('step "mp3" needs "analyse", which is not listed before it');
    expect(() => checkStepOrder([step('a', []), step('a', [])])).toThrow('step "a" is listed twice');
  });
});

describe('runSteps: finishAfter', () => {
  it('starts a step before what it only needs to finish, and lets it wait for that inside', async () => {
    const log: string[] = [];
    const pictures = gate();
    const mp3: Step<unknown> = {
      name: 'mp3',
      after: ['loudness'],
      finishAfter: ['pictures'],
      async run(_ctx, steps) {
        log.push('start mp3');
        await steps.finished('pictures');
        log.push('tags');
      },
    };
    const run = runSteps([step('loudness', log), step('pictures', log, { gate: pictures.promise }), mp3], {});
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['start loudness', 'start pictures', 'end loudness', 'start mp3']);
    pictures.open();
    await run;
    expect(log.slice(4)).toEqual(['end pictures', 'tags']);
  });

  it('rejects the wait when that step failed or will never start, and refuses names outside finishAfter', async () => {
    const log: string[] = [];
    const waited: string[] = [];
    const waiter = (name: string, on: string): Step<unknown> => ({
      name,
      finishAfter: [on],
      async run(_ctx, steps) {
        await steps.finished(on).catch((e: Error) => waited.push(`${name}: ${e.message}`));
        await steps.finished('elsewhere').catch((e: Error) => waited.push(`${name}: ${e.message}`));
      },
    });
    const slow = gate();
    const run = runSteps([step('analyse', log, { fail: 'silent take' }), step('pictures', log, { after: ['analyse'] }), step('stills', log, { gate: slow.promise }), waiter('mp3', 'pictures'), waiter('aac', 'analyse')], {});
    await new Promise((r) => setTimeout(r, 5));
    slow.open();
    await expect(run).rejects.toThrow('silent take');
    expect(waited.sort()).toEqual([
      'aac: silent take',
      'aac: step "aac" waits for "elsewhere", which is not in its finishAfter',
      'mp3: step "mp3" waits for "elsewhere", which is not in its finishAfter',
      'mp3: step "pictures" did not run: the build stopped after a failure',
    ]);
    expect(() => checkStepOrder([waiter('mp3', 'pictures'), step('pictures', log)])).toThrow('step "mp3" needs "pictures", which is not listed before it');
  });
});

describe('runSteps: finishAfter on a step that has already ended', () => {
  it('resolves at once when the awaited step was done long before the wait', async () => {
    const log: string[] = [];
    const late = gate();
    const mp3: Step<unknown> = {
      name: 'mp3',
      finishAfter: ['pictures'],
      async run(_ctx, steps) {
        await late.promise;
        await steps.finished('pictures');
        log.push('tags');
      },
    };
    const run = runSteps([step('pictures', log), mp3], {});
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['start pictures', 'end pictures']);
    late.open();
    await run;
    expect(log).toEqual(['start pictures', 'end pictures', 'tags']);
  });
});
