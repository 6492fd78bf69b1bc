import { describe, expect, it } from 'vitest';
import { JOB_STATES, type JobState } from '../../preload/contract';
import {
  JOB_ACTIONS,
  RUNNING_STATES,
  nextState,
  type JobAction,
  type Transition,
} from './state-machine';

const noop: Transition = { kind: 'noop' };
const mv = (to: JobState, abort = false, discard = false, reset = false): Transition => ({
  kind: 'move',
  to,
  abort,
  discard,
  reset,
});
const rm = (abort: boolean, discard: boolean): Transition => ({ kind: 'remove', abort, discard });

// The expected table, written out cell by cell (state × action).
const expected: Record<JobState, Record<JobAction, Transition>> = {
  queued: {
    pause: mv('paused'),
    resume: noop,
    cancel: mv('canceled', false, true),
    retry: noop,
    remove: rm(false, true),
  },
  connecting: {
    pause: mv('paused', true),
    resume: noop,
    cancel: mv('canceled', true, true),
    retry: noop,
    remove: rm(true, true),
  },
  downloading: {
    pause: mv('paused', true),
    resume: noop,
    cancel: mv('canceled', true, true),
    retry: noop,
    remove: rm(true, true),
  },
  retrying: {
    pause: mv('paused', true),
    resume: noop,
    cancel: mv('canceled', true, true),
    retry: mv('queued', true, false, true),
    remove: rm(true, true),
  },
  stalled: {
    pause: mv('paused', true),
    resume: noop,
    cancel: mv('canceled', true, true),
    retry: mv('queued', true, false, true),
    remove: rm(true, true),
  },
  verifying: {
    pause: mv('paused', true),
    resume: noop,
    cancel: mv('canceled', true, true),
    retry: noop,
    remove: rm(true, true),
  },
  paused: {
    pause: noop,
    resume: mv('queued'),
    cancel: mv('canceled', false, true),
    retry: mv('queued', false, false, true),
    remove: rm(false, true),
  },
  completed: { pause: noop, resume: noop, cancel: noop, retry: noop, remove: rm(false, false) },
  failed: {
    pause: noop,
    resume: noop,
    cancel: mv('canceled', false, true),
    retry: mv('queued', false, false, true),
    remove: rm(false, true),
  },
  canceled: {
    pause: noop,
    resume: noop,
    cancel: noop,
    retry: mv('queued', false, false, true),
    remove: rm(false, false),
  },
};

describe('state-machine', () => {
  describe('nextState()', () => {
    for (const state of JOB_STATES) {
      for (const action of JOB_ACTIONS) {
        it(`${action} in ${state} gives ${JSON.stringify(expected[state][action])}`, () => {
          expect(nextState(state, action)).toEqual(expected[state][action]);
        });
      }
    }

    it('is idempotent: applying an action to the state it produced is a no-op or the same state', () => {
      for (const state of JOB_STATES) {
        for (const action of JOB_ACTIONS) {
          const t = nextState(state, action);
          if (t.kind !== 'move') continue;
          const again = nextState(t.to, action);
          // queued --retry--> noop, paused --pause--> noop, canceled --cancel--> noop ...
          expect(again.kind === 'noop' || (again.kind === 'move' && again.to === t.to)).toBe(true);
        }
      }
    });

    it('aborts exactly when leaving a running state', () => {
      for (const state of JOB_STATES) {
        for (const action of JOB_ACTIONS) {
          const t = nextState(state, action);
          if (t.kind === 'noop') continue;
          expect(t.abort).toBe(RUNNING_STATES.has(state));
        }
      }
    });

    it('never discards the file of a completed job', () => {
      for (const action of JOB_ACTIONS) {
        const t = nextState('completed', action);
        expect(t.kind === 'noop' || !t.discard).toBe(true);
      }
    });
  });
});
