/**
 * The catalogue of stable `ERR_*` codes: the one place that maps a code to words and a
 * suggested action. Main throws errors carrying these codes; the renderer and the CLI
 * render them from here. A leaf module: it imports nothing.
 */

/** Words and advice for one error code. */
export interface ErrorCodeInfo {
  /** Short human title. */
  title: string;
  /** What the user can do about it. */
  action: string;
}

/** Every stable error code the app can produce. */
export const ERROR_CODES = {
  ERR_INVALID_ARGUMENT: {
    title: 'Invalid input',
    action: 'Check the highlighted field and try again.',
  },
  ERR_UNTRUSTED_SENDER: {
    title: 'Request refused',
    action: 'The request did not come from the app window and was ignored.',
  },
  ERR_NOT_FOUND: {
    title: 'Not found',
    action: 'It may have been removed already; refresh the list.',
  },
  ERR_INTERNAL: { title: 'Internal error', action: 'Export diagnostics and report the problem.' },
  ERR_INVALID_URL: { title: 'Invalid URL', action: 'Enter a full https:// address.' },
  ERR_INSECURE_URL: { title: 'Insecure URL', action: 'Only https:// addresses are allowed.' },
  ERR_INVALID_PIN: {
    title: 'Malformed pin',
    action: 'A pin is sha256/ followed by the base64 SHA-256 of a public key (44 characters).',
  },
  ERR_INVALID_HASH: {
    title: 'Malformed checksum',
    action: 'Give a sha256 or sha512 digest in hex, or an SRI value such as sha256-<base64>.',
  },
  ERR_PIN_MISMATCH: {
    title: 'Certificate pin mismatch',
    action:
      'The server presented a key that is not pinned. This can be an attack; compare the chain pins with the expected ones before changing anything.',
  },
  ERR_PIN_SET_EXPIRED: {
    title: 'Pin set expired',
    action:
      'The pins for this host have passed their expiry. Inspect the host and pin its current key, or extend the expiry.',
  },
  ERR_TLS_VERSION: {
    title: 'TLS version refused',
    action:
      'The server cannot speak TLS 1.3 (or the configured minimum). Ask its operator to enable it.',
  },
  ERR_TLS: { title: 'TLS handshake failed', action: 'The secure connection could not be set up.' },
  ERR_CERT_UNTRUSTED: {
    title: 'Untrusted certificate',
    action:
      'The certificate does not chain to a trusted root. Add the issuing CA only if you trust it.',
  },
  ERR_CERT_EXPIRED: { title: 'Certificate expired', action: 'The server certificate has expired.' },
  ERR_CERT_NOT_YET_VALID: {
    title: 'Certificate not yet valid',
    action: 'The certificate is not valid yet; check this computer’s clock.',
  },
  ERR_CERT_HOSTNAME: {
    title: 'Certificate name mismatch',
    action: 'The certificate was issued for a different host name.',
  },
  ERR_CERT_SUBJECT: {
    title: 'Certificate subject mismatch',
    action: 'The leaf certificate subject does not match the configured rule.',
  },
  ERR_CERT_ISSUER: {
    title: 'Certificate issuer mismatch',
    action: 'The leaf certificate issuer does not match the configured rule.',
  },
  ERR_CERT_REVOKED: {
    title: 'Certificate revoked',
    action: 'The server certificate has been revoked by its issuer. Do not trust this server.',
  },
  ERR_OCSP_MISSING: {
    title: 'No revocation status',
    action: 'Hard revocation checking is on and the server gave no OCSP staple.',
  },
  ERR_OCSP_INVALID: {
    title: 'Invalid revocation status',
    action: 'The OCSP response could not be verified.',
  },
  ERR_CLIENT_CERT_REQUIRED: {
    title: 'Client certificate required',
    action: 'The server asks for a client certificate. Configure one for this host.',
  },
  ERR_CLIENT_CERT_PASSPHRASE: {
    title: 'Wrong passphrase',
    action: 'The client key or PKCS#12 passphrase is wrong.',
  },
  ERR_CLIENT_CERT_KEY_MISMATCH: {
    title: 'Key does not match certificate',
    action: 'The private key does not belong to the client certificate.',
  },
  ERR_CLIENT_CERT_INVALID: {
    title: 'Invalid client certificate',
    action: 'The client certificate or key file could not be read.',
  },
  ERR_CLIENT_CERT_REJECTED: {
    title: 'Client certificate rejected',
    action:
      'The server did not accept the client certificate (for example, it does not trust its CA). Check which certificate this host expects.',
  },
  ERR_PROXY_AUTH: {
    title: 'Proxy authentication failed',
    action: 'Check the proxy user name and password in Settings.',
  },
  ERR_PROXY: { title: 'Proxy error', action: 'The proxy refused or failed the connection.' },
  ERR_TIMEOUT: {
    title: 'Timed out',
    action: 'The server did not answer in time; it will be retried.',
  },
  ERR_ABORTED: { title: 'Canceled', action: 'The operation was canceled.' },
  ERR_NETWORK: { title: 'Network error', action: 'Check the connection; it will be retried.' },
  ERR_HTTP_STATUS: { title: 'Server error', action: 'The server answered with an error status.' },
  ERR_TOO_MANY_REDIRECTS: {
    title: 'Too many redirects',
    action: 'The server redirects in a loop.',
  },
  ERR_REDIRECT_INSECURE: {
    title: 'Insecure redirect refused',
    action: 'The server redirected to a non-https address.',
  },
  ERR_RETRIES_EXHAUSTED: {
    title: 'Gave up after retries',
    action: 'Every attempt failed. Retry later.',
  },
  ERR_INTEGRITY: {
    title: 'Checksum mismatch',
    action: 'The downloaded file does not match its expected hash and was not kept.',
  },
  ERR_TOO_LARGE: {
    title: 'Download too large',
    action: 'The server sent more data than expected; the transfer was cut off.',
  },
  ERR_SIZE_MISMATCH: {
    title: 'Size mismatch',
    action: 'The file size differs from the expected size.',
  },
  ERR_RANGE_INVALID: {
    title: 'Bad range response',
    action: 'The server answered a resume request incorrectly; the download restarts.',
  },
  ERR_DISK_FULL: {
    title: 'Disk full',
    action: 'Free some space, then resume. The partial download is kept.',
  },
  ERR_DISK: { title: 'Disk error', action: 'The file could not be written. Check permissions.' },
  ERR_STORE_CORRUPT: {
    title: 'Job store recovered',
    action:
      'The job store was damaged; it was moved aside and the jobs that survived were recovered.',
  },
  ERR_LOCKED: {
    title: 'Already running',
    action: 'Another instance owns the state directory. Close it first.',
  },
  ERR_FEED_EXPIRED: {
    title: 'Feed metadata expired',
    action:
      'The update feed has not been refreshed by its publisher. The last known good state is shown.',
  },
  ERR_FEED_SIGNATURE: {
    title: 'Feed signature invalid',
    action: 'The update metadata is not signed by the trusted keys. Nothing was installed.',
  },
  ERR_FEED_ROLLBACK: {
    title: 'Feed rollback detected',
    action: 'The feed offered older metadata than already seen. Nothing was installed.',
  },
  ERR_FEED_INVALID: { title: 'Feed metadata invalid', action: 'The update metadata is malformed.' },
  ERR_FEED_UNREACHABLE: {
    title: 'Feed unreachable',
    action: 'The update feed could not be reached; it will be checked again later.',
  },
  ERR_TARGET_NOT_FOUND: {
    title: 'Update not found',
    action: 'The feed has no such component or version for this platform and channel.',
  },
  ERR_DOWNGRADE: {
    title: 'Downgrade refused',
    action: 'That version is older than the installed one. Allow downgrade explicitly to proceed.',
  },
  ERR_MIN_VERSION: {
    title: 'Update needs a newer base',
    action: 'The installed version is too old to update to this release directly.',
  },
  ERR_ARCHIVE_UNSAFE: {
    title: 'Unsafe archive',
    action: 'The update archive tried to write outside its folder. It was rejected.',
  },
  ERR_ARCHIVE_TOO_LARGE: {
    title: 'Archive too large',
    action: 'The update archive expands beyond the allowed size. It was rejected.',
  },
  ERR_ARCHIVE_INVALID: { title: 'Bad archive', action: 'The update archive is damaged.' },
  ERR_VALIDATION_FAILED: {
    title: 'Update failed validation',
    action: 'The new version did not pass its checks; the current install was left untouched.',
  },
  ERR_INSTALL: {
    title: 'Install failed',
    action: 'The update could not be installed; the current version was kept.',
  },
  ERR_NO_BACKUP: { title: 'No backup', action: 'There is no earlier version to roll back to.' },
  ERR_SETTINGS_INVALID: {
    title: 'Invalid settings',
    action: 'The settings file was invalid; defaults are in use.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A known error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Words and action for a code; unknown codes fall back to ERR_INTERNAL's. */
export function describeErrorCode(code: string): ErrorCodeInfo {
  return (ERROR_CODES as Record<string, ErrorCodeInfo>)[code] ?? ERROR_CODES.ERR_INTERNAL;
}
