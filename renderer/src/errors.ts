/** The renderer's one mapping from error payloads to words. */
import type { ErrorPayload } from '../../preload/contract';
import { describeErrorCode } from '../../preload/error-codes';

/** Title, detail and suggested action for an error payload. */
export function describeError(error: ErrorPayload): {
  title: string;
  detail: string;
  action: string;
} {
  const info = describeErrorCode(error.code);
  return { title: info.title, detail: error.message, action: info.action };
}
