import { useNow } from '../hooks/useNow';
import { useI18n } from '../i18n/useI18n';
import type { Messages } from '../i18n/catalogue';

/** "13 h 05 min", "4 min 10 s", "42 s": the time left until `to` (never negative). */
export function countdownText(t: Messages, to: number, now: number): string {
  const left = Math.max(0, Math.ceil((to - now) / 1000));
  return t.countdown(Math.floor(left / 3600), Math.floor((left % 3600) / 60), left % 60);
}

/**
 * A live countdown to `to` (Unix ms), refreshed every second. It is not a live region: the
 * state it belongs to is announced once, not every tick.
 */
export function Countdown({ to, render }: { to: number; render: (left: string) => string }) {
  const { t } = useI18n();
  const now = useNow(1000);
  return (
    <span className="countdown" data-testid="countdown" data-to={to}>
      {render(countdownText(t, to, now))}
    </span>
  );
}

/** A date and time with the weekday and the zone named ("Tue, Nov 3, 09:00 GMT+9"), never a bare clock time. */
export function dateTimeText(lang: string, ms: number, timeZone?: string): string {
  if (!Number.isFinite(ms)) return '';
  const opts: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(lang, { ...opts, timeZone }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(lang, opts).format(ms);
  }
}
