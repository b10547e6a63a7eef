import { useId, useState } from 'react';
import { useI18n } from '../../../i18n/useI18n';
import { PRESETS, type DateRange, type RangeChoice } from '../range';

/**
 * The range of the archive to show: the last 4 weeks (the default), the last year, everything,
 * or dates of one's own. The choice is remembered by the caller (localStorage).
 */
export function RangePicker({
  choice,
  range,
  bounds,
  onChange,
}: {
  choice: RangeChoice;
  /** The dates the choice stands for in this archive. */
  range: DateRange;
  bounds: DateRange;
  onChange: (choice: RangeChoice) => void;
}) {
  const { t } = useI18n();
  const name = useId();

  return (
    <div className="range-picker">
      <fieldset className="range-presets">
        <legend>{t.rangeLabel}</legend>
        {PRESETS.map((p) => (
          <label key={p} className={choice.preset === p ? 'range-preset range-preset--on' : 'range-preset'}>
            <input
              type="radio"
              name={name}
              value={p}
              checked={choice.preset === p}
              onChange={() => onChange(p === 'custom' ? { preset: 'custom', custom: range } : { preset: p })}
            />
            {t.rangePresets[p]}
          </label>
        ))}
      </fieldset>
      {choice.preset === 'custom' && (
        // Keyed by the range, so the fields start from the dates shown whenever those change.
        <CustomRange key={`${range.from}/${range.to}`} range={range} bounds={bounds} onApply={(custom) => onChange({ preset: 'custom', custom })} />
      )}
    </div>
  );
}

function CustomRange({ range, bounds, onApply }: { range: DateRange; bounds: DateRange; onApply: (r: DateRange) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<DateRange>(range);
  return (
    <form
      className="range"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft.from <= draft.to ? draft : { from: draft.to, to: draft.from });
      }}
    >
      <label>
        {t.rangeFrom}
        <input type="date" value={draft.from} min={bounds.from} max={bounds.to} required onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
      </label>
      <label>
        {t.rangeTo}
        <input type="date" value={draft.to} min={bounds.from} max={bounds.to} required onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
      </label>
      <button type="submit" className="button">
        {t.rangeApply}
      </button>
    </form>
  );
}
