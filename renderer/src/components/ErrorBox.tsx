/** A coded error in words: title, detail and suggested action, announced to screen readers. */
import type { ErrorPayload } from '../../../preload/contract';
import { describeError } from '../errors';

/** Shows one error payload. */
export function ErrorBox({ error, compact = false }: { error: ErrorPayload; compact?: boolean }) {
  const w = describeError(error);
  return (
    <div className="error-box" role="alert" data-code={w.code}>
      <strong>{w.title}</strong>
      {compact ? ' — ' : <br />}
      <span className="error-detail">{w.detail}</span>
      {!compact && <p className="error-action">{w.action}</p>}
      <span className="error-code">{w.code}</span>
    </div>
  );
}
