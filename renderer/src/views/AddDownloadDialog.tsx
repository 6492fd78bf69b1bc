/** The Add download dialog: URL, destination, expected hash and pins, validated inline. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ErrorPayload } from '../../../preload/contract';
import { addJob } from '../actions';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import {
  EMPTY_ADD_JOB_FORM,
  suggestFileName,
  validateAddJob,
  type AddJobForm,
} from '../lib/add-job-form';

const SERVER_FIELD: Record<string, keyof AddJobForm> = {
  ERR_INVALID_URL: 'url',
  ERR_INSECURE_URL: 'url',
  ERR_INVALID_HASH: 'expectedHash',
  ERR_INVALID_PIN: 'pins',
};

/** The dialog; `open` shows it modally (focus trapped, Escape closes). */
export function AddDownloadDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState<AddJobForm>(EMPTY_ADD_JOB_FORM);
  const [touched, setTouched] = useState<Partial<Record<keyof AddJobForm, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ErrorPayload | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const { errors } = validateAddJob(form);
  const shown = (k: keyof AddJobForm) => (submitted || touched[k] ? errors[k] : undefined);
  const serverField = serverError ? SERVER_FIELD[serverError.code] : undefined;

  const set = (k: keyof AddJobForm) => (v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setServerError(null);
  };
  const blur = (k: keyof AddJobForm) => () => setTouched((t) => ({ ...t, [k]: true }));

  const reset = () => {
    setForm(EMPTY_ADD_JOB_FORM);
    setTouched({});
    setSubmitted(false);
    setServerError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    const { input } = validateAddJob(form);
    if (!input) return;
    setBusy(true);
    const r = await addJob(input);
    setBusy(false);
    if (r.ok) {
      reset();
      onClose();
    } else setServerError(r.error);
  };

  const text = (k: keyof AddJobForm, label: string, help?: string, placeholder?: string) => (
    <Field
      label={label}
      help={help}
      error={shown(k) ?? (serverField === k ? serverError!.message : undefined)}
    >
      {(p) => (
        <input
          {...p}
          name={k}
          value={form[k]}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set(k)(e.target.value)}
          onBlur={blur(k)}
        />
      )}
    </Field>
  );

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="add-dialog-title"
      onClose={() => {
        if (open) onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="add-dialog-title">Add download</h2>
        {text('url', 'URL', undefined, 'https://example.com/file.tar.gz')}
        {text(
          'dest',
          'Save as',
          'A file name in the download folder, or an absolute path. Empty uses the name in the URL.',
          suggestFileName(form.url) || 'file name',
        )}
        {text(
          'expectedHash',
          'Expected checksum (optional)',
          'sha256 or sha512 hex, sha256:<hex> or sha256-<base64>. The file is kept only if it matches.',
        )}
        <Field
          label="Pins (optional)"
          help="One sha256/<base64> SPKI pin per line. Only these keys are accepted for this download."
          error={shown('pins') ?? (serverField === 'pins' ? serverError!.message : undefined)}
        >
          {(p) => (
            <textarea
              {...p}
              name="pins"
              rows={3}
              value={form.pins}
              spellCheck={false}
              onChange={(e) => set('pins')(e.target.value)}
              onBlur={blur('pins')}
            />
          )}
        </Field>
        <div className="field-row">
          {text('label', 'Label (optional)')}
          {text('connections', 'Connections (optional)', '1–16; default from Settings.')}
        </div>
        {serverError && !serverField && <ErrorBox error={serverError} />}
        <div className="dialog-actions">
          <button
            type="button"
            onClick={() => {
              reset();
              onClose();
            }}
          >
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add download'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
