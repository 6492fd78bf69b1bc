/** Settings: every SettingsView field, validated inline; the proxy password is write-only. */
import { useState, type FormEvent } from 'react';
import type { ErrorPayload, SettingsView as Settings } from '../../../preload/contract';
import { saveSettings } from '../actions';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import {
  SECTIONS,
  fieldOfServerMessage,
  fieldsFor,
  formFromView,
  patchFromForm,
  type FieldSpec,
  type SettingsForm,
} from '../lib/settings-form';
import { useStore } from '../store/store';

function Control({
  spec,
  value,
  onChange,
  aria,
}: {
  spec: FieldSpec;
  value: string | boolean;
  onChange(v: string | boolean): void;
  aria: { id: string; 'aria-invalid': boolean | undefined; 'aria-describedby': string | undefined };
}) {
  const name = spec.path;
  if (spec.kind === 'bool')
    return (
      <input
        {...aria}
        name={name}
        type="checkbox"
        checked={Boolean(value)}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  if (spec.kind === 'enum')
    return (
      <select
        {...aria}
        name={name}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
      >
        {spec.options!.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  if (spec.kind === 'lines')
    return (
      <textarea
        {...aria}
        name={name}
        rows={2}
        value={String(value)}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  const numeric = spec.kind === 'int' || spec.kind === 'number';
  return (
    <span className="with-unit">
      <input
        {...aria}
        name={name}
        inputMode={numeric ? 'decimal' : undefined}
        value={String(value)}
        placeholder={spec.nullable ? 'unlimited' : undefined}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      {spec.unit && <span className="unit">{spec.unit}</span>}
    </span>
  );
}

function SettingsFormView({ view }: { view: Settings }) {
  const [form, setForm] = useState<SettingsForm>(() => formFromView(view));
  const [base, setBase] = useState(view);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<ErrorPayload | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Another window (or the CLI) changed settings: take them, keeping unsaved edits is not worth a conflict UI.
  if (view !== base) {
    setBase(view);
    setForm((f) => ({
      ...formFromView(view),
      password: f.password,
      clearPassword: f.clearPassword,
    }));
  }
  const { errors, patch, changed } = patchFromForm(view, form);
  const serverField = serverError ? fieldOfServerMessage(serverError.message) : null;
  const fields = fieldsFor(view);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setSaved(null);
    if (!patch || changed === 0) return;
    setSaving(true);
    const r = await saveSettings(patch);
    setSaving(false);
    if (r.ok) {
      setServerError(null);
      setSubmitted(false);
      setForm((f) => ({ ...f, password: '', clearPassword: false }));
      setSaved(`Saved ${changed} change${changed === 1 ? '' : 's'}.`);
    } else setServerError(r.error);
  };

  const errorOf = (path: string) =>
    (submitted || form.values[path] !== formFromView(view).values[path]
      ? errors[path]
      : undefined) ??
    (serverField === path ? serverError!.message.replace(/^[^:]+:\s*/, '') : undefined);

  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-label="Settings">
      {SECTIONS.map((section) => (
        <fieldset key={section} className="panel">
          <legend>{section}</legend>
          {fields
            .filter((f) => f.section === section)
            .map((f) => (
              <Field key={f.path} label={f.label} help={f.help} error={errorOf(f.path)}>
                {(aria) => (
                  <Control
                    spec={f}
                    aria={aria}
                    value={form.values[f.path] ?? ''}
                    onChange={(v) => {
                      setSaved(null);
                      setServerError(null);
                      setForm((x) => ({ ...x, values: { ...x.values, [f.path]: v } }));
                    }}
                  />
                )}
              </Field>
            ))}
          {section === 'Network' && (
            <Field
              label="Proxy password"
              help={
                view.network.proxy.hasPassword
                  ? 'A password is stored. It is never shown; type a new one to replace it.'
                  : 'No password stored.'
              }
              error={errorOf('network.proxy.password')}
            >
              {(aria) => (
                <span className="with-unit">
                  <input
                    {...aria}
                    name="network.proxy.password"
                    type="password"
                    autoComplete="new-password"
                    value={form.password}
                    disabled={form.clearPassword}
                    placeholder={view.network.proxy.hasPassword ? '•••••• (stored)' : ''}
                    onChange={(e) => setForm((x) => ({ ...x, password: e.target.value }))}
                  />
                  {view.network.proxy.hasPassword && (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={form.clearPassword}
                        onChange={(e) =>
                          setForm((x) => ({ ...x, clearPassword: e.target.checked, password: '' }))
                        }
                      />{' '}
                      Forget the stored password
                    </label>
                  )}
                </span>
              )}
            </Field>
          )}
        </fieldset>
      ))}
      {serverError && !serverField && <ErrorBox error={serverError} />}
      {submitted && Object.keys(errors).length > 0 && (
        <p className="field-error" role="alert">
          {Object.keys(errors).length} field(s) need attention.
        </p>
      )}
      <div className="sticky-actions">
        <button
          type="submit"
          className="primary"
          disabled={saving || (changed === 0 && Object.keys(errors).length === 0)}
        >
          {saving
            ? 'Saving…'
            : changed
              ? `Save ${changed} change${changed === 1 ? '' : 's'}`
              : Object.keys(errors).length
                ? 'Save'
                : 'No changes'}
        </button>
        <button
          type="button"
          disabled={changed === 0}
          onClick={() => {
            setForm(formFromView(view));
            setSubmitted(false);
            setServerError(null);
          }}
        >
          Discard
        </button>
        <span role="status" className="saved">
          {saved}
        </span>
      </div>
    </form>
  );
}

/** The settings view. */
export function SettingsView() {
  const settings = useStore((s) => s.settings);
  const error = useStore((s) => s.settingsError);
  return (
    <section className="view settings" aria-labelledby="settings-title">
      <div className="view-header">
        <h2 id="settings-title">Settings</h2>
      </div>
      {error && <ErrorBox error={error} />}
      {settings ? (
        <SettingsFormView view={settings} />
      ) : (
        !error && <p className="muted">Loading settings…</p>
      )}
    </section>
  );
}
