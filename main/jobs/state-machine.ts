/**
 * The job state machine as a pure table: what each user action does in each state.
 * Every action is defined in every state, so an action can never be an error the user
 * has to handle; an action that makes no sense in a state is a no-op.
 */
import type { JobState } from '../../preload/contract';

/** A user action on one job (pauseAll / resumeAll apply pause / resume to every job). */
export type JobAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'remove';

/** Every user action, for table tests. */
export const JOB_ACTIONS: readonly JobAction[] = ['pause', 'resume', 'cancel', 'retry', 'remove'];

/** The outcome of an action in a state. */
export type Transition =
  | { kind: 'noop' }
  | {
      kind: 'move';
      to: JobState;
      /** Stop the running download first. */
      abort: boolean;
      /** Delete the partial data (part file and resume state). */
      discard: boolean;
      /** Start attempts and error afresh (retry). */
      reset: boolean;
    }
  | { kind: 'remove'; abort: boolean; discard: boolean };

/** States in which a download run is (or may be) in flight. */
export const RUNNING_STATES: ReadonlySet<JobState> = new Set<JobState>([
  'connecting',
  'downloading',
  'retrying',
  'stalled',
  'verifying',
]);

/** States that end a job's life; such jobs live in the history. */
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set<JobState>([
  'completed',
  'failed',
  'canceled',
]);

const NOOP: Transition = { kind: 'noop' };
const move = (to: JobState, abort = false, discard = false, reset = false): Transition => ({
  kind: 'move',
  to,
  abort,
  discard,
  reset,
});
const remove = (abort: boolean, discard: boolean): Transition => ({
  kind: 'remove',
  abort,
  discard,
});

const running: Record<JobAction, Transition> = {
  pause: move('paused', true),
  resume: NOOP,
  cancel: move('canceled', true, true),
  retry: NOOP,
  remove: remove(true, true),
};

/** "Retry now" while waiting for a retry or stalled: restart the run immediately. */
const waiting: Record<JobAction, Transition> = {
  ...running,
  retry: move('queued', true, false, true),
};

/** The full table: state × action → transition. */
export const TRANSITIONS: Readonly<Record<JobState, Readonly<Record<JobAction, Transition>>>> = {
  queued: {
    pause: move('paused'),
    resume: NOOP,
    cancel: move('canceled', false, true),
    retry: NOOP,
    remove: remove(false, true),
  },
  connecting: running,
  downloading: running,
  retrying: waiting,
  stalled: waiting,
  verifying: running,
  paused: {
    pause: NOOP,
    resume: move('queued'),
    cancel: move('canceled', false, true),
    retry: move('queued', false, false, true),
    remove: remove(false, true),
  },
  // A completed file is the user's: nothing deletes it, removing only forgets the job.
  completed: { pause: NOOP, resume: NOOP, cancel: NOOP, retry: NOOP, remove: remove(false, false) },
  failed: {
    pause: NOOP,
    resume: NOOP,
    cancel: move('canceled', false, true),
    retry: move('queued', false, false, true),
    remove: remove(false, true),
  },
  // Retrying a canceled job starts it again from zero (its partial data is gone).
  canceled: {
    pause: NOOP,
    resume: NOOP,
    cancel: NOOP,
    retry: move('queued', false, false, true),
    remove: remove(false, false),
  },
};

/** What `action` does to a job in `state`. Pure; defined for every pair. */
export function nextState(state: JobState, action: JobAction): Transition {
  return TRANSITIONS[state][action];
}
