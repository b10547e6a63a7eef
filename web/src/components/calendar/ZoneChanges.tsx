import type { Analysis } from '../../api/types';
import { useI18n } from '../../i18n/useI18n';
import { zoneChangeNotes } from './describe';

/**
 * Says when the person's day moved for good on the analysis clock (a flight or a move across
 * time zones), so that nights suddenly drawn hours later or earlier are not read as a broken
 * sleep schedule. Nothing when there was no such move (or the analysis predates the field).
 * `withYear` names the dates with their year, for ranges that span years.
 */
export function ZoneChanges({ analysis, idPrefix, withYear = false }: { analysis: Analysis; idPrefix: string; withYear?: boolean }) {
  const { t, lang } = useI18n();
  const notes = zoneChangeNotes(t, lang, analysis, withYear);
  if (notes.length === 0) return null;
  return (
    <section className="zone-changes" aria-labelledby={`${idPrefix}-zones`} data-testid="zone-changes">
      <h3 id={`${idPrefix}-zones`}>{t.zoneHeading(notes.length)}</h3>
      {notes.length === 1 ? (
        <p>{notes[0]}</p>
      ) : (
        <ul>
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <p className="muted">{t.zoneRead(notes.length)}</p>
    </section>
  );
}
