/**
 * Long work on the thread that answers questions, cut into slices: `pause()` lets waiting events run
 * (a question, a heartbeat) once the current slice has run for `budgetMs`, and costs nothing before.
 */
export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(private readonly budgetMs: number) {}

  /** Resolves at once inside the budget; otherwise after one turn of the event loop. */
  pause(): Promise<void> | undefined {
    if (performance.now() - this.sliceStart < this.budgetMs) return undefined;
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        this.sliceStart = performance.now();
        resolve();
      });
    });
  }
}

/** A slicer that never pauses: for work nobody is waiting on (start-up, a CLI run). */
export const NO_PAUSE: Pick<TimeSlicer, 'pause'> = { pause: () => undefined };

export type Pauser = Pick<TimeSlicer, 'pause'>;

/** Work written as a generator that yields where it may pause. */
export type Steps<T> = Generator<void, T, void>;

/** Runs stepped work to its end on this thread without pausing. */
export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Runs stepped work, letting `pauser` decide at each step whether to give the thread to others. */
export async function runSliced<T>(steps: Steps<T>, pauser: Pauser): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await pauser.pause();
  }
}
