// Time zone names as the server accepts them: canonical IANA names (those of tzdata's
// zone1970.tab and zone.tab, plus UTC). Browsers speak ICU, whose ids keep some older names
// (Asia/Calcutta for Asia/Kolkata); those are mapped here, so a person in India is not refused
// for the name their own browser reports.

/** ICU/CLDR ids that are not canonical IANA names, and the names tzdata uses today. */
const LEGACY: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Etc/UTC': 'UTC',
  'Etc/GMT': 'UTC',
  'Etc/Universal': 'UTC',
  'Etc/Zulu': 'UTC',
  GMT: 'UTC',
  UCT: 'UTC',
  Universal: 'UTC',
  Zulu: 'UTC',
};

/**
 * The canonical IANA name for a zone name a browser reports or a person typed: aliases the
 * browser knows (US/Pacific) become its own id, then ICU's older ids the tzdata name. Names the
 * browser does not know pass through unchanged (the server has the last word).
 */
export function canonicalZone(name: string): string {
  let id = name;
  try {
    id = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    // unknown here
  }
  return LEGACY[id] ?? id;
}

/** Every zone this browser knows, by canonical name, sorted, with UTC. */
export function knownZones(supported: () => string[] = () => Intl.supportedValuesOf('timeZone')): string[] {
  let list: string[];
  try {
    list = supported();
  } catch {
    list = [];
  }
  return [...new Set([...list.map(canonicalZone), 'UTC'])].sort();
}

/** Whether the browser can show times in the zone. */
export function browserKnows(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "Tokyo" for "Asia/Tokyo", "Buenos Aires" for "America/Argentina/Buenos_Aires". */
export function cityOf(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[_/\s-]+/g, ' ')
    .trim();
}

/** Zones whose name or city contains every word of the query ("new york", "tokyo", "asia kol"). */
export function searchZones(zones: string[], query: string, limit = 30): string[] {
  const words = fold(query).split(' ').filter(Boolean);
  if (words.length === 0) return [];
  const hits = zones.filter((z) => {
    const hay = fold(z);
    return words.every((w) => hay.includes(w));
  });
  // Zones whose city starts with the query come first ("paris" -> Europe/Paris).
  const q = words.join(' ');
  hits.sort((a, b) => Number(!fold(cityOf(b)).startsWith(q)) - Number(!fold(cityOf(a)).startsWith(q)) || a.localeCompare(b));
  return hits.slice(0, limit);
}

/** "UTC+09:00" for the zone's offset at `at` (ms). */
export function utcOffsetLabel(zone: string, at: number): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    return name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC');
  } catch {
    return '';
  }
}
