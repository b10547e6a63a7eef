import { useI18n } from '../../i18n/useI18n';

/**
 * The key to everything the calendar can draw. Entries for things this analysis does not
 * contain (naps, no data, single posts…) are still listed: the key is the same on every
 * calendar, so a person learns it once.
 */
export function Legend({ idPrefix }: { idPrefix: string }) {
  const { t } = useI18n();
  const items: [string, string][] = [
    ['awake', t.legend.awake],
    ['sleep', t.legend.sleep],
    ['sleep-unsure', t.legend.sleepUnsure],
    ['nap', t.legend.nap],
    ['quiet', t.legend.quiet],
    ['gap', t.legend.gap],
    ['future', t.legend.future],
    ['tick', t.legend.tick],
    ['now', t.legend.now],
    ['weekend', t.legend.weekend],
    ['today', t.legend.today],
  ];
  return (
    <div className="legend-wrap">
      <h3 id={`${idPrefix}-legend`} className="visually-hidden">
        {t.legendHeading}
      </h3>
      <ul className="legend" aria-labelledby={`${idPrefix}-legend`} data-testid="legend">
        {items.map(([key, text]) => (
          <li key={key} data-legend={key}>
            <span className={`swatch swatch--${key}`} aria-hidden="true" /> {text}
          </li>
        ))}
      </ul>
    </div>
  );
}
