/** The critical path's priority (the analysis, the loudness probes, the MP3 encode). */
export const CRITICAL_PRIORITY = 0;

/**
 * How long a core a critical run gives back stays held for the next critical run. The
 * critical path is a chain of processes (hum probe → analysis → loudness probes → MP3): the
 * next one asks for a core a few milliseconds after the last has ended, by which time a
 * queued still or the AAC would have taken it. Measured on a 60-minute build: the analysis
 * waited 2.3 s behind a still and the MP3 3.3 s behind the AAC and a still.
 */
export const HANDOFF_MS = 250;

/**
 * The cores ffmpeg processes may use: at most `max` at once; waiting runs start in priority
 * order (lower first), first come first served within a priority; a core a critical run
 * (priority 0) gives back is held `handoffMs` for the next critical run before anyone else
 * gets it.
 */
export class CoreSlots {
  private running = 0;
  private readonly waiting: { priority: number; go: () => void }[] = [];
  private readonly held = new Set<NodeJS.Timeout>();

  constructor(
    readonly max: number,
    private readonly handoffMs = HANDOFF_MS,
  ) {}

  /** Resolves when the run may start, with the function that gives its core back (once). */
  async acquire(priority: number): Promise<() => void> {
    const [hold] = this.held;
    if (priority <= CRITICAL_PRIORITY && hold) {
      // A critical run takes a held core (it is still counted as running).
      clearTimeout(hold);
      this.held.delete(hold);
    } else if (this.running < this.max && !this.waiting.some((w) => w.priority <= priority)) {
      this.running++;
    } else {
      await new Promise<void>((go) => {
        const at = this.waiting.findIndex((w) => w.priority > priority);
        this.waiting.splice(at < 0 ? this.waiting.length : at, 0, { priority, go });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(priority);
    };
  }

  /** For tests and traces: runs holding a core, cores held for a critical run, runs waiting. */
  get busy(): { running: number; held: number; waiting: number } {
    return { running: this.running - this.held.size, held: this.held.size, waiting: this.waiting.length };
  }

  private release(priority: number): void {
    const next = this.waiting[0];
    if (priority > CRITICAL_PRIORITY || this.handoffMs <= 0 || (next && next.priority <= CRITICAL_PRIORITY)) {
      this.free();
      return;
    }
    // A critical run ended and no critical run waits yet: hold its core for the next one,
    // even when stills or the AAC are waiting (they get it if none comes).
    const timer = setTimeout(() => {
      this.held.delete(timer);
      this.free();
    }, this.handoffMs);
    this.held.add(timer);
  }

  private free(): void {
    const next = this.waiting.shift();
    if (next) next.go();
    else this.running--;
  }
}
