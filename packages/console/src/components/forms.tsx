import { type ReactNode, useId, useState } from 'react';
import { ApiError } from '../api/http';
import { useAnnounce } from './announcer';

interface FieldProps {
  label: string;
  /** Where the value comes from, or what it does. */
  help?: ReactNode;
  error?: string | undefined;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}

/** A labelled control with its help text and its error, both tied to it for screen readers. */
export function Field({ label, help, error, children }: FieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [help ? helpId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {help ? (
        <p className="help" id={helpId}>
          {help}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The message of a failed request, for an alert. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Field errors of a 400 by field path (`platform_config.phone_number_id`). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const f of error.fields) out[f.field] ??= f.message;
  return out;
}

/** A request's failure in words, announced (role=alert) where it happened. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error-note" role="alert">
      {messageOf(error)}
    </p>
  );
}

/** Copies `value` and says so (the button's label and the live region). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const announce = useAnnounce();
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => {
        navigator.clipboard.writeText(value).then(
          () => {
            setCopied(true);
            announce(`${label} copied`);
            setTimeout(() => setCopied(false), 2000);
          },
          () => announce(`Could not copy ${label}: select it and copy by hand`),
        );
      }}
    >
      {copied ? 'Copied' : `Copy ${label}`}
    </button>
  );
}
