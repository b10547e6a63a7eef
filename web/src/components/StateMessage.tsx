import type { ReactNode } from 'react';

/** A full-width message for a state of the page, always with a next step (`children`). */
export function StateMessage({
  title,
  children,
  tone = 'info',
  testId,
}: {
  title: string;
  children?: ReactNode;
  tone?: 'info' | 'warn' | 'error';
  testId?: string;
}) {
  return (
    <section className={`state state--${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <h2 className="state-title">{title}</h2>
      {children}
    </section>
  );
}
