import { useMemo, type ReactNode } from 'react';
import type { Analysis } from '../../../api/types';
import { StateMessage } from '../../../components/StateMessage';
import { useI18n } from '../../../i18n/useI18n';
import { CalendarView } from '../../../components/calendar/CalendarView';
import sample from '../sample-analysis.json';
import type { Notice } from '../notice';

const sampleAnalysis = sample as Analysis;

/** The signed-out page: what nezame does, a sample calendar and the ways in. */
export function Landing({
  notice,
  onDismiss,
  archive,
}: {
  notice: Notice | null;
  onDismiss: () => void;
  /** The way in without signing in (the archive picker), composed by the app. */
  archive: ReactNode;
}) {
  const { t, lang } = useI18n();
  // The real clock: the sample lies in the past, so no made-up date is marked as today.
  const sampleNow = useMemo(() => new Date(), []);
  return (
    <div className="landing">
      {notice && (
        <StateMessage
          title={notice.kind === 'denied' ? t.errorDenied : notice.kind === 'expired' ? t.sessionExpired : t.errorGeneric(notice.code)}
          tone={notice.kind === 'failed' ? 'error' : 'warn'}
          testId={`notice-${notice.kind}`}
        >
          <div className="actions">
            <a className="button" href="/auth/login">
              {notice.kind === 'failed' ? t.tryAgain : t.signIn}
            </a>
            <button type="button" className="button button--quiet" onClick={onDismiss}>
              {t.dismiss}
            </button>
          </div>
        </StateMessage>
      )}
      <section className="hero">
        <p className="tagline">{t.tagline}</p>
        <p className="tagline-other" lang={lang === 'ja' ? 'en' : 'ja'}>
          {t.taglineOther}
        </p>
        <div className="actions">
          <a className="button button--primary" href="/auth/login" data-testid="sign-in">
            {t.signIn}
          </a>
          {archive}
        </div>
        <p className="privacy">{t.privacy}</p>
        <p className="muted archive-hint">{t.archiveHint}</p>
      </section>
      <p className="muted sample-caption">{t.sampleCaption}</p>
      <CalendarView analysis={sampleAnalysis} now={sampleNow} heading={t.sampleHeading} statsHeading={t.sampleStatsHeading} idPrefix="sample" />
    </div>
  );
}
