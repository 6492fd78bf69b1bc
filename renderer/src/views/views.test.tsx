import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorBox } from '../components/ErrorBox';
import { ProgressBar } from '../components/ProgressBar';
import { PIN_A, PIN_B, facts, job } from '../test-fixtures';
import { CertificateCard } from './CertificateCard';
import { versionLine } from './DiagnosticsView';
import { JobRow, jobName } from './JobRow';

const noop = () => {};

describe('views', () => {
  describe('ProgressBar', () => {
    it('exposes role=progressbar with its aria values and label', () => {
      const html = renderToStaticMarkup(
        <ProgressBar value={42.7} label="file progress" valueText="42 of 100" />,
      );
      expect(html).toContain('role="progressbar"');
      expect(html).toContain('aria-valuenow="42"');
      expect(html).toContain('aria-valuemin="0"');
      expect(html).toContain('aria-valuemax="100"');
      expect(html).toContain('aria-label="file progress"');
      expect(html).toContain('aria-valuetext="42 of 100"');
    });
    it('omits aria-valuenow when the total is unknown', () => {
      expect(renderToStaticMarkup(<ProgressBar value={null} label="x" />)).not.toContain(
        'aria-valuenow',
      );
    });
  });

  describe('JobRow', () => {
    it('shows name, host, speed, ETA, state with reason and per-segment bars', () => {
      const j = job({
        state: 'retrying',
        nextAttemptAt: 5_000,
        retryReason: '503',
        segments: [
          { start: 0, end: 499, downloaded: 250 },
          { start: 500, end: 999, downloaded: 0 },
        ],
      });
      const html = renderToStaticMarkup(
        <JobRow job={j} now={1_000} index={0} focused onFocusRow={noop} />,
      );
      expect(html).toContain('file.bin');
      expect(html).toContain('example.test');
      expect(html).toContain('retrying in 4 s — 503');
      expect(html).toContain('100 B/s');
      expect(html).toContain('8 s left');
      expect(html.match(/class="segment"/g)).toHaveLength(2);
      expect(html).toContain('aria-label="Pause file.bin"');
    });
    it('links a pin mismatch to the Security view', () => {
      const j = job({
        state: 'failed',
        error: {
          code: 'ERR_PIN_MISMATCH',
          message: 'Certificate pinning failure',
          retryable: false,
        },
      });
      const html = renderToStaticMarkup(
        <JobRow job={j} now={0} index={0} focused={false} onFocusRow={noop} />,
      );
      expect(html).toContain('pin mismatch');
      expect(html).toContain('Compare pins');
      expect(html).toContain('aria-label="Retry file.bin"');
    });
    it('names a job by its label, else its file name', () => {
      expect(jobName(job({ label: 'Core 2.0' }))).toBe('Core 2.0');
      expect(jobName(job({ dest: 'C:\\dl\\x.zip' }))).toBe('x.zip');
    });
  });

  describe('ErrorBox', () => {
    it('words a coded error with its suggested action', () => {
      const html = renderToStaticMarkup(
        <ErrorBox
          error={{
            code: 'ERR_HTTP_STATUS',
            message: 'The server answered 503',
            retryable: true,
            details: { status: 503 },
          }}
        />,
      );
      expect(html).toContain('role="alert"');
      expect(html).toContain('Server error');
      expect(html).toContain('The server answered 503 (HTTP 503)');
      expect(html).toContain('The server answered with an error status.');
    });
  });

  describe('CertificateCard', () => {
    it('shows subject, issuer, validity, SANs, key, pin with copy and fingerprint', () => {
      const f = facts();
      const html = renderToStaticMarkup(
        <CertificateCard
          cert={f.chain[0]!}
          index={0}
          count={2}
          host="localhost"
          matched
          pinned={false}
        />,
      );
      for (const s of [
        'CN=cert0',
        'CN=cert1',
        '100 days left',
        'localhost',
        'EC 256 bits',
        PIN_A,
        'AA:0',
        'pin matched',
      ])
        expect(html).toContain(s);
      expect(html).toContain('aria-label="Copy pin"');
      expect(html).toContain('Pin this key');
      expect(html).not.toContain(PIN_B);
    });
  });

  describe('versionLine()', () => {
    it('names host mode or the Electron version', () => {
      const info = {
        name: 'LLMrecon Update Manager',
        version: '0.1.0',
        mode: 'host' as const,
        electronVersion: null,
        nodeVersion: '20.19.0',
        platform: 'linux',
        arch: 'x64',
        stateDir: '/s',
        logFile: '/l',
        demoFeed: true,
      };
      expect(versionLine(info)).toBe(
        'LLMrecon Update Manager 0.1.0 — host mode (Node 20.19.0, linux x64)',
      );
      expect(versionLine({ ...info, mode: 'electron', electronVersion: '41.0.0' })).toMatch(
        /Electron 41\.0\.0/,
      );
    });
  });
});
