import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { cityOf, knownZones, searchZones, utcOffsetLabel } from '../api/timezones';
import { useI18n } from '../i18n/useI18n';
import { useAnnounce } from './Announcer';

/**
 * Says which zone the times are in and lets the person pick another: a search by city or zone
 * over every zone the browser knows (canonical IANA names). `open` starts it open, e.g. when
 * the server refused the zone.
 */
export function TimeZonePicker({
  tz,
  device,
  onChoose,
  takeChosen,
  open: initiallyOpen = false,
}: {
  tz: string;
  /** The browser's own zone, offered as a way back. */
  device: string;
  onChoose: (zone: string) => void;
  /**
   * Whether this picker appears because a zone was just chosen (the calendar was redrawn in it):
   * then it takes focus back on its button and says the zone.
   */
  takeChosen?: () => boolean;
  open?: boolean;
}) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [open, setOpen] = useState(initiallyOpen);
  const [query, setQuery] = useState('');
  const zones = useMemo(() => knownZones(), []);
  const results = useMemo(() => searchZones(zones, query), [zones, query]);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();
  const [now] = useState(() => Date.now());

  useEffect(() => {
    if (open) input.current?.focus({ preventScroll: !initiallyOpen });
    // Only when it opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  useEffect(() => {
    if (!takeChosen?.()) return;
    // The search box has focus when it opens (the zone was refused); otherwise the button does.
    if (!initiallyOpen) toggle.current?.focus();
    announce(t.tzShown(tz));
    // Only when it appears.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    if (query.trim() !== '') announce(results.length === 0 ? t.tzNoMatch : t.tzResults(results.length));
  }, [announce, query, results.length, t]);

  // A new zone redraws the calendar, and the picker that comes with it says so (takeChosen);
  // the zone already shown changes nothing, so this picker closes and says it.
  const choose = (zone: string) => {
    setOpen(false);
    setQuery('');
    if (zone !== tz) {
      onChoose(zone);
      return;
    }
    announce(t.tzShown(zone));
    toggle.current?.focus();
  };

  return (
    <div className="tz" data-testid="tz-picker">
      <p className="tz-line">
        <span>{t.tzShown(tz)}</span>{' '}
        <button
          ref={toggle}
          type="button"
          className="button button--quiet button--small"
          aria-expanded={open}
          aria-controls={`${id}-panel`}
          onClick={() => setOpen((o) => !o)}
        >
          {t.tzChange}
        </button>
      </p>
      {open && (
        <div className="tz-panel" id={`${id}-panel`}>
          <p className="muted">{t.tzHint}</p>
          <label className="tz-search" htmlFor={`${id}-q`}>
            {t.tzSearchLabel}
          </label>
          <input
            ref={input}
            id={`${id}-q`}
            type="search"
            className="input"
            value={query}
            placeholder={t.tzSearchPlaceholder}
            autoComplete="off"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && results[0] !== undefined) {
                e.preventDefault();
                choose(results[0]);
              }
              if (e.key === 'Escape') {
                setOpen(false);
                toggle.current?.focus();
              }
            }}
          />
          {query.trim() !== '' && results.length === 0 && <p className="muted">{t.tzNoMatch}</p>}
          {results.length > 0 && (
            <ul className="tz-results" aria-label={t.tzResults(results.length)}>
              {results.map((z) => (
                <li key={z}>
                  <button type="button" className="tz-option" onClick={() => choose(z)} aria-current={z === tz ? 'true' : undefined}>
                    <span className="tz-city">{cityOf(z)}</span> <span className="muted">{z}</span>{' '}
                    <span className="muted">{utcOffsetLabel(z, now)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {device !== tz && (
            <button type="button" className="button button--secondary" onClick={() => choose(device)}>
              {t.tzUseDevice(device)}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
