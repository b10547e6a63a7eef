import type { Stats } from '../../api/types';
import type { Messages } from '../../i18n/catalogue';
import { useI18n } from '../../i18n/useI18n';
import { oneDecimal, whole } from './format';

type StatKey = keyof Messages['stats'];

function withSpread(t: Messages, time: string | null, spread: number | null): string | null {
  if (time === null || time === '') return null;
  const m = whole(spread);
  return m === null ? time : t.spread(time, m);
}

function hours(t: Messages, v: number | null): string | null {
  const s = oneDecimal(v);
  return s === null ? null : t.hoursShort(s);
}

function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The sentence that puts a statistic beside what is known of people at large. */
function context(t: Messages, key: StatKey, stats: Stats, dayCount: number): string {
  const c = t.statContext;
  switch (key) {
    case 'wakeTime':
      return c.wakeTime;
    case 'bedTime':
      return c.bedTime;
    case 'sleepHours':
      return c.sleepHours(finite(stats.sleepHours));
    case 'sri':
      return c.sri(finite(stats.sri));
    case 'socialJetlagHours':
      return c.socialJetlagHours;
    case 'allNighters':
      return c.allNighters;
    case 'activeDays':
      return c.activeDays(dayCount);
    case 'longestAwakeHours':
      return c.longestAwakeHours(finite(stats.longestAwakeHours));
  }
}

/**
 * The statistics, each with what it means and a sentence of context; missing values read
 * "not enough data yet". When the nights form several sleep patterns, they are named as such
 * first, and the typical times are marked as the most frequent pattern's. When the person's
 * time zone changed (`zoneChanged`; the notice itself sits with the calendar), the analysis gives
 * one pattern per clock they kept, the current one first, and the typical times are that one's.
 */
export function StatsPanel({
  stats,
  heading,
  idPrefix = 'stats',
  dayCount,
  zoneChanged = false,
}: {
  stats: Stats;
  heading?: string;
  idPrefix?: string;
  dayCount: number;
  zoneChanged?: boolean;
}) {
  const { t } = useI18n();
  const sri = oneDecimal(stats.sri);
  const patterns = stats.patterns ?? [];
  const several = patterns.length >= 2;
  const values: [StatKey, string | null][] = [
    ['wakeTime', withSpread(t, stats.wakeTime, stats.wakeSpreadMinutes)],
    ['bedTime', withSpread(t, stats.bedTime, stats.bedSpreadMinutes)],
    ['sleepHours', hours(t, stats.sleepHours)],
    ['sri', sri === null ? null : `${sri} / 100`],
    ['socialJetlagHours', hours(t, stats.socialJetlagHours)],
    ['allNighters', whole(stats.allNighters)?.toString() ?? null],
    ['activeDays', whole(stats.activeDays)?.toString() ?? null],
    ['longestAwakeHours', hours(t, stats.longestAwakeHours)],
  ];
  return (
    <section className="stats" aria-labelledby={`${idPrefix}-heading`}>
      <h2 id={`${idPrefix}-heading`}>{heading ?? t.statsHeading}</h2>
      {several && (
        <div className="patterns-block" data-testid="patterns">
          <h3>{t.patternsHeading(patterns.length)}</h3>
          <ol className="patterns">
            {patterns.map((p, i) => (
              <li key={i}>{t.patternLine(i + 1, p.bedTime, p.wakeTime, p.nights)}</li>
            ))}
          </ol>
          {zoneChanged ? (
            <p className="muted" data-testid="patterns-zone">
              {t.zonePatterns}
            </p>
          ) : (
            <p className="muted">{t.patternsIntro}</p>
          )}
        </div>
      )}
      <dl className="stats-grid">
        {values.map(([key, value]) => {
          const [label, hint] = t.stats[key];
          const ofPattern = several && (key === 'wakeTime' || key === 'bedTime');
          return (
            <div className="stat" key={key} data-testid={`stat-${key}`}>
              <dt>
                {label}
                {ofPattern && <span className="stat-pattern"> ({zoneChanged ? t.currentPattern : t.mainPattern})</span>}
              </dt>
              <dd className={value === null ? 'stat-value stat-value--missing' : 'stat-value'}>{value ?? t.notEnough}</dd>
              <dd className="stat-hint">{hint}</dd>
              <dd className="stat-context">{context(t, key, stats, dayCount)}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
