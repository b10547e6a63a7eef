// Month-by-month trends: the analyzer's own statistics (bedtime, wake time, sleep length,
// regularity), computed for each calendar month of a range by whoever holds the posts (the
// archive import) and drawn here.
import type { Stats } from '../../api/types';

/** A month's statistics, as the analyzer computed them from that month's posts. */
export interface MonthTrend {
  month: string;
  posts: number;
  stats: Stats;
}

/**
 * "HH:MM" as minutes after noon (0..1440), the axis of a night: 22:30 is 630 and 07:15 is
 * 1155, so bedtimes on either side of midnight sit next to each other. Null for null.
 */
export function nightMinutes(hhmm: string | null): number | null {
  const m = hhmm === null ? null : /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (m === null) return null;
  return (Number(m[1]) * 60 + Number(m[2]) + 720) % 1440;
}
