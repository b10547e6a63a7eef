import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../../api/client';
import type { Analysis, Stats } from '../../../api/types';
import { ProgressBar } from '../../../components/ProgressBar';
import { StateMessage } from '../../../components/StateMessage';
import { useI18n } from '../../../i18n/useI18n';
import { CalendarView } from '../../../components/calendar/CalendarView';
import { dateWithYear } from '../../../components/dates';
import { ArchiveError, type ArchiveErrorCode } from '../errors';
import type { LoadedArchive } from '../protocol';
import {
  addDays,
  archiveRanges,
  CALENDAR_MAX_DAYS,
  loadRangeChoice,
  monthSlices,
  presetRange,
  rangeDays,
  saveRangeChoice,
  sliceRange,
  type RangeChoice,
} from '../range';
import { SHARE_MAX_DAYS } from '../summary';
import type { ArchiveSession, OpenArchive } from '../session';
import { ArchivePicker } from './ArchivePicker';
import { ArchiveShare } from './ArchiveShare';
import { RangePicker } from './RangePicker';
import '../archive.css';

/** One month's statistics, as the analyzer computed them from that month's posts. */
export interface MonthTrend {
  month: string; // YYYY-MM
  posts: number;
  stats: Stats;
}

/** Draws a long range (the app composes the long-range views in). */
export type LongRangeView = (analysis: Analysis, trends: MonthTrend[] | null) => ReactNode;

type Step =
  | { step: 'reading'; fraction: number }
  | { step: 'failed'; code: ArchiveErrorCode; detail: string }
  | { step: 'loaded'; loaded: LoadedArchive; session: ArchiveSession };

/** Failures of this device or of our side, where trying the same file again can help. */
const RETRYABLE: ArchiveErrorCode[] = ['worker_failed', 'analyzer_failed'];

/**
 * The archive import: reads the picked file in a worker (progress by bytes, and a cancel
 * button that ends the worker), then analyses the chosen range on this device and draws it:
 * the calendar for a few weeks, the actogram and monthly trends for longer. Nothing about the
 * posts is sent anywhere, unless the person shares a card of the result and says yes.
 */
export function ArchiveScreen({
  file,
  client,
  tz,
  openArchive,
  longRange,
  onPick,
  onBack,
}: {
  file: File;
  client: ApiClient;
  tz: string;
  openArchive: OpenArchive;
  longRange: LongRangeView;
  onPick: (file: File) => void;
  onBack: () => void;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<Step>({ step: 'reading', fraction: 0 });
  const [attempt, setAttempt] = useState(0);
  const session = useRef<ArchiveSession | null>(null);

  useEffect(() => {
    const s = openArchive();
    session.current = s;
    let live = true;
    s.read(file, (fraction) => {
      if (live) setState({ step: 'reading', fraction });
    }).then(
      (loaded) => {
        if (live) setState({ step: 'loaded', loaded, session: s });
      },
      (err: unknown) => {
        if (!live) return;
        const e = err instanceof ArchiveError ? err : new ArchiveError('worker_failed', String(err));
        setState({ step: 'failed', code: e.code, detail: e.detail });
      },
    );
    return () => {
      live = false;
      s.close(); // frees the worker and everything it read
    };
  }, [file, openArchive, attempt]);

  const cancel = () => {
    session.current?.close();
    onBack();
  };

  const back = (
    <div className="actions">
      <ArchivePicker onPick={onPick} label={t.archivePickAnother} />
      <button type="button" className="button button--quiet" onClick={onBack}>
        {t.archiveBack}
      </button>
    </div>
  );

  if (state.step === 'reading') {
    const pct = Math.floor(state.fraction * 100);
    const label = state.fraction < 1 ? t.archiveReading(pct) : t.archiveParsing;
    return (
      <StateMessage title={t.archiveHeading} testId="archive-reading">
        <progress className="progress-determinate" max={100} value={pct} aria-label={label} />
        <p>{label}</p>
        <p className="muted">{t.archiveOnDevice}</p>
        <button type="button" className="button button--secondary" onClick={cancel} data-testid="archive-cancel">
          {t.archiveCancel}
        </button>
      </StateMessage>
    );
  }
  if (state.step === 'failed') {
    return (
      <StateMessage title={t.archiveHeading} tone="error" testId="archive-error">
        <p data-code={state.code}>{t.archiveErrors[state.code]}</p>
        {state.detail !== '' && <p className="muted">{t.archiveErrorFile(state.detail)}</p>}
        {RETRYABLE.includes(state.code) && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setState({ step: 'reading', fraction: 0 });
              setAttempt((a) => a + 1);
            }}
          >
            {t.tryAgain}
          </button>
        )}
        {back}
      </StateMessage>
    );
  }
  if (state.loaded.times.length === 0) {
    // Every post was automated: there are no dates to speak of (not the epoch's).
    return (
      <StateMessage title={t.archiveHeading} tone="warn" testId="archive-all-automated">
        <p>{t.archiveAllAutomated(state.loaded.found)}</p>
        {back}
      </StateMessage>
    );
  }
  return <ArchiveResult loaded={state.loaded} session={state.session} client={client} tz={tz} longRange={longRange} footer={back} />;
}

type Result =
  | { status: 'analysing'; count: number }
  | { status: 'ready'; analysis: Analysis }
  | { status: 'empty' }
  | { status: 'error'; code: ArchiveErrorCode };

function ArchiveResult({
  loaded,
  session,
  client,
  tz,
  longRange,
  footer,
}: {
  loaded: LoadedArchive;
  session: ArchiveSession;
  client: ApiClient;
  tz: string;
  longRange: LongRangeView;
  footer: ReactNode;
}) {
  const { t, lang } = useI18n();
  const { times } = loaded;
  const { bounds } = useMemo(() => archiveRanges(times, tz), [times, tz]);
  const [choice, setChoice] = useState<RangeChoice>(() => loadRangeChoice());
  const range = useMemo(() => presetRange(choice.preset, bounds, choice.custom), [choice, bounds]);
  const [lo, hi] = useMemo(() => sliceRange(times, range, tz), [times, range, tz]);
  const long = rangeDays(range) > CALENDAR_MAX_DAYS;
  // The range's post instants, for the calendar's exact single posts (they stay on this page).
  const posts = useMemo(() => times.subarray(lo, hi), [times, lo, hi]);
  const now = useMemo(() => new Date(), []);
  // Answers are kept with the request they answer; anything else is still being worked on.
  const key = `${range.from}/${range.to}/${lo}/${hi}/${tz}`;
  const [answer, setAnswer] = useState<{ key: string; result: Result } | null>(null);
  const [monthly, setMonthly] = useState<{ key: string; trends: MonthTrend[] } | null>(null);

  useEffect(() => {
    if (hi === lo) return;
    let live = true;
    session.analyze(lo, hi, tz).then(
      (analysis) => live && setAnswer({ key, result: { status: 'ready', analysis } }),
      (err: unknown) => live && setAnswer({ key, result: { status: 'error', code: err instanceof ArchiveError ? err.code : 'analyzer_failed' } }),
    );
    return () => {
      live = false;
    };
  }, [session, lo, hi, tz, key]);

  // Monthly trends: one analysis per month of the range, after the main one.
  useEffect(() => {
    if (!long || hi === lo) return;
    let live = true;
    const months = monthSlices(times, range.from, range.to, tz);
    session.stats(months.map((m) => [m.lo, m.hi]), tz).then(
      (stats) => live && setMonthly({ key, trends: months.flatMap((m, i) => (stats[i] ? [{ month: m.month, posts: m.hi - m.lo, stats: stats[i] }] : [])) }),
      () => live && setMonthly({ key, trends: [] }),
    );
    return () => {
      live = false;
    };
  }, [session, times, range, tz, long, lo, hi, key]);

  const result: Result = hi === lo ? { status: 'empty' } : answer?.key === key ? answer.result : { status: 'analysing', count: hi - lo };
  const trends = monthly?.key === key ? monthly.trends : null;

  // A share carries the last 62 days of the range at most, analysed on their own.
  const summarize = () => {
    const last = { from: addDays(range.to, -(SHARE_MAX_DAYS - 1)), to: range.to };
    const [from] = sliceRange(times, last.from > range.from ? last : range, tz);
    return session.analyze(from, hi, tz);
  };

  const choose = (next: RangeChoice) => {
    setChoice(next);
    saveRangeChoice(next);
  };

  return (
    <div className="archive" data-testid="archive-result">
      <section className="archive-bar">
        <p data-testid="archive-found">
          {t.archiveFound(loaded.found, dateWithYear(bounds.from, lang), dateWithYear(bounds.to, lang))}
          {loaded.automated > 0 && ` ${t.archiveAutomated(loaded.automated)}`}
          {loaded.unreadable > 0 && ` ${t.archiveUnreadable(loaded.unreadable)}`}
        </p>
        <p className="muted">{t.archiveOnDevice}</p>
        <RangePicker choice={choice} range={range} bounds={bounds} onChange={choose} />
      </section>
      {result.status === 'analysing' && (
        <StateMessage title={t.archiveAnalysingOnDevice(result.count)} testId="archive-analysing">
          <ProgressBar label={t.archiveHeading} />
        </StateMessage>
      )}
      {result.status === 'empty' && <StateMessage title={t.rangeEmpty} tone="warn" />}
      {result.status === 'error' && (
        <StateMessage title={t.archiveHeading} tone="error" testId="archive-analysis-error">
          <p>{t.archiveErrors[result.code]}</p>
        </StateMessage>
      )}
      {result.status === 'ready' &&
        (long ? longRange(result.analysis, trends) : <CalendarView analysis={result.analysis} now={now} heading={t.archiveHeading} idPrefix="archive" posts={posts} />)}
      {result.status === 'ready' && <ArchiveShare client={client} tz={tz} summarize={summarize} />}
      {footer}
    </div>
  );
}
