/** Security: pin mismatches followed from jobs, the live host inspector and pinned hosts. */
import { useState, type FormEvent } from 'react';
import type { ConnectionFacts, ErrorPayload, PinnedHost } from '../../../preload/contract';
import { addPin, inspectHost, removePin } from '../actions';
import { CopyButton } from '../components/CopyButton';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import { formatDateTime } from '../format';
import { normalizePinText, urlProblem } from '../lib/add-job-form';
import { backupPinWarning, matchedPinIndex, pinnedEntryFor } from '../lib/pin-advice';
import { useStore } from '../store/store';
import { CertificateCard } from './CertificateCard';

function MismatchPanel() {
  const m = useStore((s) => s.mismatch);
  const pins = useStore((s) => s.pins);
  const showMismatch = useStore((s) => s.showMismatch);
  if (!m) return null;
  const entry = pinnedEntryFor(pins, m.host);
  const configured = new Set([...m.expected, ...(entry?.pins.map((p) => p.pin) ?? [])]);
  return (
    <section className="panel mismatch" aria-labelledby="mismatch-title" data-testid="pin-mismatch">
      <h3 id="mismatch-title">Pin mismatch for {m.host}</h3>
      <p>
        The server presented keys that are not pinned for {m.host}. This can be an attack or a key
        rotation: confirm the right key with the operator before pinning anything.
      </p>
      <h4>Presented chain</h4>
      <ol className="pin-list" aria-label="Presented chain pins">
        {m.chain.map((c) => (
          <li key={c.index} data-testid={`presented-${c.index}`}>
            <span className="muted">{c.index === 0 ? 'leaf' : `#${c.index}`}</span>{' '}
            {c.subject && <span>{c.subject}</span>} <code className="mono">{c.pin}</code>{' '}
            {configured.has(c.pin) ? (
              <span className="badge good">configured</span>
            ) : (
              <span className="badge bad">not pinned</span>
            )}{' '}
            <CopyButton value={c.pin} what={`pin of certificate ${c.index}`} />
          </li>
        ))}
      </ol>
      <h4>Expected (configured) pins</h4>
      <ul className="pin-list" aria-label="Expected pins">
        {m.expected.map((p) => (
          <li key={p}>
            <code className="mono">{p}</code>
          </li>
        ))}
      </ul>
      <details>
        <summary>Full error text</summary>
        <pre>{m.message}</pre>
      </details>
      <div className="toolbar">
        {m.url && (
          <button type="button" onClick={() => void inspectHost(new URL(m.url!).origin + '/')}>
            Inspect {m.host} now
          </button>
        )}
        <button type="button" onClick={() => showMismatch(null)}>
          Dismiss
        </button>
      </div>
    </section>
  );
}

function ConnectionSummary({ facts }: { facts: ConnectionFacts }) {
  const ocsp = facts.ocsp;
  return (
    <dl className="facts" data-testid="connection-facts">
      <dt>Endpoint</dt>
      <dd>
        {facts.host}:{facts.port}
        {facts.remoteAddress ? ` (${facts.remoteAddress})` : ''}
        {facts.viaProxy ? ' via proxy' : ''}
      </dd>
      <dt>TLS</dt>
      <dd data-testid="tls-version">{facts.tlsVersion ?? '—'}</dd>
      <dt>Cipher</dt>
      <dd>{facts.cipher ?? '—'}</dd>
      <dt>ALPN</dt>
      <dd>{facts.alpn ?? 'none'}</dd>
      <dt>OCSP</dt>
      <dd data-testid="ocsp-status">
        {ocsp.status}
        {ocsp.source ? ` (${ocsp.source})` : ''}
        {ocsp.nextUpdate ? `, next update ${formatDateTime(ocsp.nextUpdate)}` : ''}
        {ocsp.revokedAt ? `, revoked ${formatDateTime(ocsp.revokedAt)}` : ''}
        {ocsp.detail ? ` — ${ocsp.detail}` : ''}
      </dd>
      <dt>Pin policy</dt>
      <dd data-testid="pin-policy">
        {facts.pinPolicy}
        {facts.matchedPin
          ? ` — matched ${facts.matchedPin.pin} on certificate ${facts.matchedPin.certIndex}`
          : facts.pinPolicy === 'none'
            ? ' — host not pinned'
            : ' — no pin matched'}
      </dd>
      <dt>Checked</dt>
      <dd>{formatDateTime(facts.at)}</dd>
    </dl>
  );
}

function Inspector() {
  const inspect = useStore((s) => s.inspect);
  const setInspect = useStore((s) => s.setInspect);
  const pins = useStore((s) => s.pins);
  const [touched, setTouched] = useState(false);
  const problem = urlProblem(inspect.url);
  const facts = inspect.facts;
  const entry = facts ? pinnedEntryFor(pins, facts.host) : null;
  const matchIndex = facts ? matchedPinIndex(facts, entry) : null;
  const pinned = new Set(entry?.pins.map((p) => p.pin) ?? []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!problem) void inspectHost(inspect.url.trim());
  };
  return (
    <section className="panel" aria-labelledby="inspect-title">
      <h3 id="inspect-title">Inspect a host</h3>
      <form className="inline-form" onSubmit={submit} noValidate>
        <Field label="Host URL" error={touched ? problem : null}>
          {(p) => (
            <input
              {...p}
              value={inspect.url}
              placeholder="https://updates.example.com/"
              spellCheck={false}
              onChange={(e) => setInspect({ url: e.target.value })}
              onBlur={() => setTouched(true)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={inspect.busy}>
          {inspect.busy ? 'Inspecting…' : 'Inspect'}
        </button>
      </form>
      {inspect.error && <ErrorBox error={inspect.error} />}
      {facts && (
        <div className="inspect-result" data-testid="inspect-result">
          <ConnectionSummary facts={facts} />
          <p className={matchIndex === null ? 'muted' : 'good'} data-testid="pin-match">
            {matchIndex === null
              ? entry
                ? 'No pinned key matched this chain.'
                : `${facts.host} is not pinned.`
              : `The pin matched certificate ${matchIndex} (${matchIndex === 0 ? 'leaf' : 'CA'}).`}
          </p>
          <ol className="chain" aria-label="Certificate chain, leaf first">
            {facts.chain.map((c, i) => (
              <CertificateCard
                key={c.fingerprint256}
                cert={c}
                index={i}
                count={facts.chain.length}
                host={entry?.host ?? facts.host}
                matched={matchIndex === i}
                pinned={pinned.has(c.spkiPin)}
              />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

function PinnedHostRow({ h }: { h: PinnedHost }) {
  const pins = useStore((s) => s.pins);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const last = h.lastCheck;
  return (
    <li className="pinned-host" data-testid={`pinned-${h.host}`}>
      <div className="component-line">
        <h4>{h.host}</h4>
        {h.reportOnly && <span className="badge">report-only</span>}
        <span className="muted">
          {h.expires ? `expires ${formatDateTime(h.expires)}` : 'no expiry'}
        </span>
        {h.pins.length < 2 && <span className="badge bad">no backup pin</span>}
        <span
          className={last ? (last.matched ? 'badge good' : 'badge bad') : 'badge'}
          data-testid="last-check"
        >
          {last
            ? last.matched
              ? `last matched ${formatDateTime(last.at)}${last.certIndex !== null ? ` (certificate ${last.certIndex})` : ''}`
              : `last check failed ${formatDateTime(last.at)}${last.error ? ` — ${last.error}` : ''}`
            : 'not used yet'}
        </span>
      </div>
      {(h.subjectName || h.issuer) && (
        <p className="muted">
          {h.subjectName && `subject ${h.subjectName}`} {h.issuer && `issuer ${h.issuer}`}
        </p>
      )}
      <ul className="pin-list" aria-label={`Pins for ${h.host}`}>
        {h.pins.map((p) => (
          <li key={p.pin}>
            <code className="mono">{p.pin}</code>{' '}
            {p.label && <span className="muted">{p.label}</span>}{' '}
            {last?.matchedPin === p.pin && <span className="badge good">matched</span>}{' '}
            <CopyButton value={p.pin} what="pin" />{' '}
            <button
              type="button"
              aria-label={`Remove pin ${p.pin} from ${h.host}`}
              onClick={async () => {
                const advice = backupPinWarning(pins, h.host, { remove: p.pin });
                if (
                  advice.warning &&
                  !window.confirm(`${advice.warning}\n\nRemove the pin anyway?`)
                )
                  return;
                const r = await removePin(h.host, p.pin);
                setError(r.ok ? null : r.error);
              }}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {error && <ErrorBox error={error} />}
    </li>
  );
}

function AddPinForm() {
  const pins = useStore((s) => s.pins);
  const [host, setHost] = useState('');
  const [pin, setPin] = useState('');
  const [label, setLabel] = useState('');
  const [expires, setExpires] = useState('');
  const [reportOnly, setReportOnly] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const hostError = !host.trim()
    ? 'Enter a host name, *.domain or **.domain.'
    : /^(\*\*?\.)?[a-z0-9.-]+$/i.test(host.trim())
      ? null
      : 'Use a host name, *.domain or **.domain (no scheme or port).';
  const normalized = normalizePinText(pin);
  const pinError = normalized ? null : 'A pin is sha256/ followed by 44 base64 characters.';
  const expiresError =
    expires && Number.isNaN(new Date(expires).getTime()) ? 'Pick a valid date.' : null;
  const advice =
    !hostError && normalized ? backupPinWarning(pins, host.trim(), { add: normalized }) : null;
  return (
    <form
      className="panel add-pin"
      aria-labelledby="add-pin-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setSubmitted(true);
        if (hostError || pinError || expiresError) return;
        const r = await addPin({
          host: host.trim(),
          pin: normalized!,
          ...(label ? { label } : {}),
          ...(expires ? { expires: new Date(expires).toISOString() } : {}),
          ...(reportOnly ? { reportOnly } : {}),
        });
        if (r.ok) {
          setPin('');
          setLabel('');
          setSubmitted(false);
          setError(null);
        } else setError(r.error);
      }}
    >
      <h3 id="add-pin-title">Add a pin</h3>
      <div className="field-row">
        <Field label="Host" error={submitted ? hostError : null}>
          {(p) => (
            <input
              {...p}
              value={host}
              spellCheck={false}
              onChange={(e) => setHost(e.target.value)}
            />
          )}
        </Field>
        <Field label="Pin (sha256/…)" error={submitted || pin ? pinError : null}>
          {(p) => (
            <input {...p} value={pin} spellCheck={false} onChange={(e) => setPin(e.target.value)} />
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field label="Label (optional)">
          {(p) => (
            <input
              {...p}
              value={label}
              maxLength={100}
              onChange={(e) => setLabel(e.target.value)}
            />
          )}
        </Field>
        <Field label="Expires (optional)" error={expiresError}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={reportOnly}
            onChange={(e) => setReportOnly(e.target.checked)}
          />{' '}
          Report only (log mismatches, do not block)
        </label>
      </div>
      {advice?.warning && <p className="warning">{advice.warning}</p>}
      {error && <ErrorBox error={error} />}
      <button type="submit" className="primary">
        Add pin
      </button>
    </form>
  );
}

/** The security view. */
export function SecurityView() {
  const pins = useStore((s) => s.pins);
  const pinsError = useStore((s) => s.pinsError);
  const connections = useStore((s) => s.connections);
  return (
    <section className="view security" aria-labelledby="security-title">
      <div className="view-header">
        <h2 id="security-title">Security</h2>
      </div>
      <MismatchPanel />
      <Inspector />
      <section className="panel" aria-labelledby="pinned-title">
        <h3 id="pinned-title">Pinned hosts</h3>
        {pinsError && <ErrorBox error={pinsError} />}
        {pins.length === 0 && !pinsError && <p className="muted">No hosts are pinned.</p>}
        <ul className="pinned-list">
          {pins.map((h) => (
            <PinnedHostRow key={h.host} h={h} />
          ))}
        </ul>
      </section>
      <AddPinForm />
      {connections.length > 0 && (
        <section className="panel" aria-labelledby="recent-title">
          <h3 id="recent-title">Recent connections</h3>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">TLS</th>
                <th scope="col">Pin</th>
                <th scope="col">OCSP</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {connections.map((c) => (
                <tr key={`${c.host}:${c.port}`}>
                  <td>
                    {c.host}:{c.port}
                  </td>
                  <td>{c.tlsVersion ?? '—'}</td>
                  <td>{c.matchedPin ? `matched #${c.matchedPin.certIndex}` : c.pinPolicy}</td>
                  <td>{c.ocsp.status}</td>
                  <td>{formatDateTime(c.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
