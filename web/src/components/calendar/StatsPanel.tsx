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

/** The statistics with a plain-language hint each; missing values read "not enough data yet". */
export function StatsPanel({ stats, heading, idPrefix = 'stats' }: { stats: Stats; heading?: string; idPrefix?: string }) {
  const { t } = useI18n();
  const sri = oneDecimal(stats.sri);
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
      <dl className="stats-grid">
        {values.map(([key, value]) => {
          const [label, hint] = t.stats[key];
          return (
            <div className="stat" key={key} data-testid={`stat-${key}`}>
              <dt>{label}</dt>
              <dd className={value === null ? 'stat-value stat-value--missing' : 'stat-value'}>{value ?? t.notEnough}</dd>
              <dd className="stat-hint">{hint}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
