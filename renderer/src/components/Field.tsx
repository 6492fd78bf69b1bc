/** A labelled form field with its inline error wired up through aria-describedby. */
import { useId, type ReactNode } from 'react';

/** Props of {@link Field}. */
export interface FieldProps {
  label: string;
  error?: string | null;
  help?: string;
  /** Renders the control given its id and aria props. */
  children: (control: {
    id: string;
    'aria-invalid': boolean | undefined;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}

/** The field wrapper. */
export function Field({ label, error, help, children }: FieldProps) {
  const id = useId();
  const errId = `${id}-err`;
  const helpId = `${id}-help`;
  const describedBy = [error ? errId : null, help ? helpId : null].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {help && (
        <small id={helpId} className="help">
          {help}
        </small>
      )}
      {error && (
        <small id={errId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}
