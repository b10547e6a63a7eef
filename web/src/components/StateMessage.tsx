import { useEffect, useId, type ReactNode } from 'react';
import { useAnnounce } from './Announcer';

/**
 * A full-width message for a state of the page, always with a next step (`children`). Its
 * title is announced politely when it appears or changes; the message itself is not a live
 * region, so a countdown inside it does not speak every second.
 */
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
  const id = useId();
  const announce = useAnnounce();
  useEffect(() => {
    announce(title);
  }, [announce, title]);
  return (
    <section className={`state state--${tone}`} aria-labelledby={id} data-testid={testId}>
      <h2 className="state-title" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}
