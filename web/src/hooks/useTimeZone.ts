import { useCallback, useState } from 'react';
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
 * `forget` goes back to the browser's.
 */
export function useTimeZone(browserZone: string) {
  const device = canonicalZone(browserZone);
  const [picked, setPicked] = useState<string | null>(() => {
    const saved = readSaved();
    return saved !== null && browserKnows(saved) ? canonicalZone(saved) : null;
  });
  const choose = useCallback((zone: string) => {
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
  return { tz: picked ?? device, device, picked: picked !== null, choose, forget };
}
