import { useCallback, useRef, useState } from 'react';
import { browserKnows, canonicalZone } from '../api/timezones';

/** localStorage key holding the zone the person picked. */
export const TZ_STORAGE_KEY = 'nezame.tz';

function readSaved(): string | null {
  try {
    return localStorage.getItem(TZ_STORAGE_KEY);
  } catch {
    return null; // storage disabled: the browser's zone still works
  }
}

/**
 * The zone the calendar is drawn in: the one the person picked (remembered in localStorage),
 * else the browser's, by its canonical IANA name. `choose` picks and remembers another;
 * `forget` goes back to the browser's; `takeChosen` says once whether a zone was just chosen.
 */
export function useTimeZone(browserZone: string) {
  const device = canonicalZone(browserZone);
  const [picked, setPicked] = useState<string | null>(() => {
    const saved = readSaved();
    return saved !== null && browserKnows(saved) ? canonicalZone(saved) : null;
  });
  // Picking a zone redraws the calendar from scratch (the picker goes away while it loads), so
  // "a zone was just picked" outlives the picker: the next one takes it to regain focus and say
  // the zone.
  const chosen = useRef(false);
  const takeChosen = useCallback(() => {
    const was = chosen.current;
    chosen.current = false;
    return was;
  }, []);
  const choose = useCallback((zone: string) => {
    chosen.current = true;
    setPicked(zone);
    try {
      localStorage.setItem(TZ_STORAGE_KEY, zone);
    } catch {
      // Not remembered; the choice still applies to this page.
    }
  }, []);
  const forget = useCallback(() => {
    setPicked(null);
    try {
      localStorage.removeItem(TZ_STORAGE_KEY);
    } catch {
      // nothing was stored
    }
  }, []);
  return { tz: picked ?? device, device, picked: picked !== null, choose, forget, takeChosen };
}
