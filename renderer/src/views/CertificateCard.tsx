/** One certificate of an inspected chain, with its pin, fingerprint and "Pin this key". */
import { useState } from 'react';
import type { CertificateInfo, ErrorPayload } from '../../../preload/contract';
import { addPin } from '../actions';
import { CopyButton } from '../components/CopyButton';
import { ErrorBox } from '../components/ErrorBox';
import { formatDateTime, formatDaysLeft } from '../format';
import { backupPinWarning } from '../lib/pin-advice';
import { useStore } from '../store/store';

function role(index: number, count: number, cert: CertificateInfo): string {
  if (index === 0) return 'Leaf';
  if (index === count - 1 && cert.subject === cert.issuer) return 'Root';
  return cert.isCA ? 'Intermediate CA' : 'Certificate';
}

/** Props of {@link CertificateCard}. */
export interface CertificateCardProps {
  cert: CertificateInfo;
  index: number;
  count: number;
  host: string;
  matched: boolean;
  pinned: boolean;
}

/** The card. */
export function CertificateCard({
  cert,
  index,
  count,
  host,
  matched,
  pinned,
}: CertificateCardProps) {
  const pins = useStore((s) => s.pins);
  const [confirm, setConfirm] = useState(false);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<ErrorPayload | null>(null);
  const advice = backupPinWarning(pins, host, { add: cert.spkiPin });
  const expiring = cert.daysLeft < 14;
  const titleId = `cert-${index}-title`;
  return (
    <li
      className={matched ? 'cert matched' : 'cert'}
      data-testid={`cert-${index}`}
      aria-labelledby={titleId}
    >
      <h4 id={titleId}>
        {index}. {role(index, count, cert)} — {cert.subject}
        {matched && <span className="badge good">pin matched</span>}
        {pinned && !matched && <span className="badge">pinned</span>}
      </h4>
      <dl className="facts">
        <dt>Subject</dt>
        <dd>{cert.subject}</dd>
        <dt>Issuer</dt>
        <dd>{cert.issuer}</dd>
        <dt>Valid</dt>
        <dd>
          {formatDateTime(cert.validFrom)} → {formatDateTime(cert.validTo)}{' '}
          <span className={expiring ? 'badge bad' : 'badge'}>{formatDaysLeft(cert.daysLeft)}</span>
        </dd>
        {cert.sans.length > 0 && (
          <>
            <dt>Names (SAN)</dt>
            <dd>{cert.sans.join(', ')}</dd>
          </>
        )}
        <dt>Key</dt>
        <dd>
          {cert.keyType}
          {cert.keySize ? ` ${cert.keySize} bits` : ''}
        </dd>
        <dt>Serial</dt>
        <dd className="mono">{cert.serialNumber}</dd>
        <dt>SPKI pin</dt>
        <dd className="mono">
          <code data-testid="spki-pin">{cert.spkiPin}</code>{' '}
          <CopyButton value={cert.spkiPin} what="pin" />
        </dd>
        <dt>SHA-256 fingerprint</dt>
        <dd className="mono">
          <code className="wrap">{cert.fingerprint256}</code>{' '}
          <CopyButton value={cert.fingerprint256} what="fingerprint" />
        </dd>
      </dl>
      {!pinned && !confirm && (
        <button type="button" onClick={() => setConfirm(true)}>
          Pin this key…
        </button>
      )}
      {confirm && (
        <div className="pin-confirm" role="group" aria-label={`Pin ${cert.spkiPin} for ${host}`}>
          <p>
            Pin this key for <strong>{host}</strong>: only certificates chaining through it will be
            accepted for {host}. Compare it with a value from the operator first.
          </p>
          {advice.warning && (
            <p className="warning" role="alert">
              {advice.warning}
            </p>
          )}
          <label>
            Label (optional){' '}
            <input value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} />
          </label>{' '}
          <button
            type="button"
            className="primary"
            onClick={async () => {
              const r = await addPin({ host, pin: cert.spkiPin, ...(label ? { label } : {}) });
              if (r.ok) setConfirm(false);
              else setError(r.error);
            }}
          >
            Pin
          </button>{' '}
          <button type="button" onClick={() => setConfirm(false)}>
            Cancel
          </button>
          {error && <ErrorBox error={error} />}
        </div>
      )}
    </li>
  );
}
