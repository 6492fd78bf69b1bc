/** Words for the feed's freshness and install phases. Pure. */
import type { ComponentStatus, UpdateStatus } from '../../../preload/contract';
import { formatDateTime } from '../format';

/** The feed banner: text and tone. */
export function feedBanner(
  status: UpdateStatus,
  now: number,
): { text: string; tone: 'good' | 'warn' | 'bad' } {
  const f = status.feed;
  const until = f.validUntil ? formatDateTime(f.validUntil) : null;
  switch (f.state) {
    case 'ok': {
      const soon = f.validUntil !== null && new Date(f.validUntil).getTime() - now < 86_400_000;
      return {
        text: until ? `Signed metadata valid until ${until}` : 'Signed metadata verified',
        tone: soon ? 'warn' : 'good',
      };
    }
    case 'expired':
      return {
        text: `Feed metadata expired${until ? ` on ${until}` : ''} — the publisher has not refreshed it (frozen feed). Showing the last known good state; nothing will be installed.`,
        tone: 'bad',
      };
    case 'invalid':
      return {
        text: 'Feed signature invalid — the metadata is not signed by the trusted keys. Nothing will be installed.',
        tone: 'bad',
      };
    case 'unreachable':
      return {
        text: `Feed unreachable${until ? `; last known metadata valid until ${until}` : ''}.`,
        tone: 'warn',
      };
    case 'checking':
      return { text: 'Checking the feed…', tone: 'good' };
    default:
      return { text: 'Not checked yet.', tone: 'warn' };
  }
}

/** Words for an install phase. */
export function phaseLabel(phase: ComponentStatus['phase']): string {
  return {
    idle: 'Idle',
    downloading: 'Downloading…',
    verifying: 'Verifying signature and hash…',
    extracting: 'Extracting…',
    validating: 'Validating the new version…',
    installing: 'Installing…',
    'rolling-back': 'Rolling back…',
  }[phase];
}
