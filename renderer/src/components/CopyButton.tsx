/** A button that copies a value (a pin, a fingerprint) and says so. */
import { useState } from 'react';

/** Copy text with the async clipboard API, falling back to a selected textarea. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.className = 'offscreen';
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

/** The copy button; `what` names the value for screen readers ("Copy pin"). */
export function CopyButton({ value, what = 'value' }: { value: string; what?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="copy"
      aria-label={`Copy ${what}`}
      data-value={value}
      onClick={async () => {
        setState((await copyText(value)) ? 'copied' : 'failed');
        setTimeout(() => setState('idle'), 2000);
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
