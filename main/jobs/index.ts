/** Public API of main/jobs: the job manager, its store and the SecureDownloader adapter. */
export { JobManager, createJobManager, discardPartialFiles } from './job-manager';
export { createSecureJobDownloader, clampResumeState } from './secure-job-downloader';
export type { SecureDownloaderLike, SecureJobDownloaderOptions } from './secure-job-downloader';
export { StateLockedError, acquireStateLock } from './state-lock';
export { loadJobStore, saveJobStore, storePathIn, STORE_FILE_NAME } from './job-store';
export { STORE_VERSION } from './store-schema';
export { nextState, JOB_ACTIONS, type JobAction, type Transition } from './state-machine';
export {
  DEFAULT_JOB_SETTINGS,
  systemClock,
  type ByteRange,
  type Clock,
  type JobDownloader,
  type JobDownloadRequest,
  type JobHostPolicy,
  type JobManagerOptions,
  type JobRecord,
  type JobSettings,
} from './types';
