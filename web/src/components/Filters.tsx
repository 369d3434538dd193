// Search boxes and selects bound to the address bar: what is typed or chosen is part of the shared link.

import { useEffect, useId, useState } from 'react';
import { useParam } from '../router.js';

/** Writes to the URL a moment after typing stops, so the list is not refetched per keystroke. */
export function SearchParam({
  name,
  label,
  placeholder,
}: {
  name: string;
  label: string;
  placeholder?: string;
}) {
  const [value, setValue] = useParam(name);
  const [text, setText] = useState(value ?? '');
  const id = useId();
  useEffect(() => setText(value ?? ''), [value]);
  useEffect(() => {
    if (text === (value ?? '')) return;
    const t = window.setTimeout(() => setValue(text.trim() || undefined), 250);
    return () => window.clearTimeout(t);
  }, [text, value, setValue]);
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') setValue(text.trim() || undefined);
        }}
      />
    </span>
  );
}

export function SelectParam({
  name,
  label,
  options,
  any = 'any',
}: {
  name: string;
  label: string;
  options: readonly (string | [string, string])[];
  any?: string;
}) {
  const [value, setValue] = useParam(name);
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => setValue(e.target.value || undefined)}>
        <option value="">{any}</option>
        {options.map((o) => {
          const [v, text] = typeof o === 'string' ? [o, o] : o;
          return (
            <option key={v} value={v}>
              {text}
            </option>
          );
        })}
      </select>
    </span>
  );
}
