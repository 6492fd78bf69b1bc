/** Public API of the secure downloader (main/download). */
export { SecureDownloader, type DownloadTransport } from './secure-downloader';
export {
  defaultSecureDownloadOptions,
  resolveDownloadOptions,
  type IntegrityFailureAction,
  type SecureDownloadOptions,
} from './options';
export {
  downloadWithSecureProgress,
  type DownloadWithSecureProgressExtras,
  type SeedProgressCallback,
} from './download-with-secure-progress';
export {
  parseExpectedDigest,
  digestsEqual,
  type DigestAlgorithm,
  type ExpectedDigest,
} from './integrity';
export {
  partPathOf,
  statePathOf,
  removePartial,
  readResumeState,
  type ResumeState,
} from './resume-state';
export {
  DiskError,
  DiskFullError,
  DownloadAbortedError,
  DownloadHttpError,
  IntegrityError,
  RangeInvalidError,
  SizeMismatchError,
  TooLargeError,
} from './errors';
export type { DownloadObserver, DownloadPhase, DownloadProgress, DownloadResult } from './types';
