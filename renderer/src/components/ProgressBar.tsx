/** An accessible progress bar (role=progressbar with aria values) drawn with CSS. */

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  /** 0–100, or null when the total is unknown (indeterminate). */
  value: number | null;
  label: string;
  /** Text read out instead of the bare number, e.g. "3.2 MiB of 10 MiB". */
  valueText?: string;
  tone?: 'normal' | 'paused' | 'error' | 'done';
}

/** The progress bar. */
export function ProgressBar({ value, label, valueText, tone = 'normal' }: ProgressBarProps) {
  const v = value === null ? null : Math.max(0, Math.min(100, value));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v === null ? undefined : Math.floor(v)}
      aria-valuetext={valueText}
      data-tone={tone}
    >
      <div
        className={v === null ? 'progress-fill indeterminate' : 'progress-fill'}
        style={v === null ? undefined : { width: `${v}%` }}
      />
    </div>
  );
}
