import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, type ApiClient } from '../../../api/client';
import type { Analysis } from '../../../api/types';
import { ProgressBar } from '../../../components/ProgressBar';
import { StateMessage } from '../../../components/StateMessage';
import { useI18n } from '../../../i18n/useI18n';
import { CalendarView } from '../../../components/calendar/CalendarView';
import { shortDate } from '../../../components/calendar/format';
import type { ExtractProgress } from '../extract';
import { ArchiveError, type ArchiveErrorCode } from '../parse';
import type { ArchiveData, ReadArchive } from '../protocol';
import { archiveRanges, sliceRange, type DateRange } from '../range';
import { ArchivePicker } from './ArchivePicker';

/** The contract's limit for one POST /api/analyze. */
const MAX_TIMESTAMPS = 1_000_000;

type Step =
  | { step: 'reading'; progress: ExtractProgress }
  | { step: 'failed'; code: ArchiveErrorCode }
  | { step: 'loaded'; data: ArchiveData };

type Result =
  | { status: 'idle' }
  | { status: 'analysing'; count: number }
  | { status: 'ready'; analysis: Analysis }
  | { status: 'empty' }
  | { status: 'too_many' }
  | { status: 'error'; message: string };

/**
 * The archive import: reads the picked file in a worker, then analyses the chosen date range
 * with POST /api/analyze (only times and sources are sent) and draws the usual calendar.
 */
export function ArchiveScreen({
  file,
  client,
  tz,
  readArchive,
  onPick,
  onBack,
}: {
  file: File;
  client: ApiClient;
  tz: string;
  readArchive: ReadArchive;
  onPick: (file: File) => void;
  onBack: () => void;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<Step>({ step: 'reading', progress: { phase: 'reading', fraction: 0 } });

  useEffect(() => {
    let cancelled = false;
    readArchive(file, (progress) => {
      if (!cancelled) setState({ step: 'reading', progress });
    }).then(
      (data) => {
        if (!cancelled) setState({ step: 'loaded', data });
      },
      (err: unknown) => {
        if (!cancelled) setState({ step: 'failed', code: err instanceof ArchiveError ? err.code : 'corrupt' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [file, readArchive]);

  const back = (
    <div className="actions">
      <ArchivePicker onPick={onPick} label={t.archivePickAnother} />
      <button type="button" className="button button--quiet" onClick={onBack}>
        {t.archiveBack}
      </button>
    </div>
  );

  if (state.step === 'reading') {
    const pct = Math.round(state.progress.fraction * 100);
    const label = state.progress.phase === 'reading' ? t.archiveReading(pct) : t.archiveParsing;
    return (
      <StateMessage title={t.archiveHeading} testId="archive-reading">
        {state.progress.phase === 'reading' ? (
          <progress className="progress-determinate" max={100} value={pct} aria-label={label} />
        ) : (
          <ProgressBar label={label} />
        )}
        <p>{label}</p>
      </StateMessage>
    );
  }
  if (state.step === 'failed') {
    return (
      <StateMessage title={t.archiveHeading} tone="error" testId="archive-error">
        <p>{t.archiveErrors[state.code]}</p>
        {back}
      </StateMessage>
    );
  }
  return <ArchiveResult data={state.data} client={client} tz={tz} footer={back} />;
}

function ArchiveResult({ data, client, tz, footer }: { data: ArchiveData; client: ApiClient; tz: string; footer: ReactNode }) {
  const { t } = useI18n();
  const { bounds, initial } = useMemo(() => archiveRanges(data.times, tz), [data, tz]);
  const [draft, setDraft] = useState<DateRange>(initial);
  const [range, setRange] = useState<DateRange>(initial);
  const [result, setResult] = useState<Result>({ status: 'idle' });
  const now = useMemo(() => new Date(), []);

  const analyse = useCallback(
    (r: DateRange) => {
      const [lo, hi] = sliceRange(data.times, r, tz);
      if (hi === lo) return Promise.resolve<Result>({ status: 'empty' });
      if (hi - lo > MAX_TIMESTAMPS) return Promise.resolve<Result>({ status: 'too_many' });
      return client.analyze(data.times.subarray(lo, hi), tz, data.sources.slice(lo, hi)).then(
        (analysis): Result => ({ status: 'ready', analysis }),
        (err: unknown): Result => ({ status: 'error', message: err instanceof ApiError ? err.message : String(err) }),
      );
    },
    [client, data, tz],
  );

  useEffect(() => {
    let cancelled = false;
    analyse(range).then((r) => {
      if (!cancelled) setResult(r);
    });
    return () => {
      cancelled = true;
    };
  }, [analyse, range]);

  const apply = () => {
    const [lo, hi] = sliceRange(data.times, draft, tz);
    setResult({ status: 'analysing', count: hi - lo });
    // Always a new object, so pressing Show again re-runs the analysis.
    setRange(draft.from <= draft.to ? { ...draft } : { from: draft.to, to: draft.from });
  };

  return (
    <div className="archive" data-testid="archive-result">
      <section className="archive-bar">
        <p>{t.archiveFound(data.times.length, shortDate(bounds.from), shortDate(bounds.to))}</p>
        <form
          className="range"
          onSubmit={(e) => {
            e.preventDefault();
            apply();
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
      </section>
      {(result.status === 'idle' || result.status === 'analysing') && (
        <StateMessage title={t.archiveAnalysing(result.status === 'analysing' ? result.count : sliceCount(data, range, tz))} testId="archive-analysing">
          <ProgressBar label={t.archiveHeading} />
        </StateMessage>
      )}
      {result.status === 'empty' && <StateMessage title={t.rangeEmpty} tone="warn" />}
      {result.status === 'too_many' && <StateMessage title={t.rangeTooMany} tone="warn" />}
      {result.status === 'error' && <StateMessage title={t.archiveServerError(result.message)} tone="error" />}
      {result.status === 'ready' && <CalendarView analysis={result.analysis} now={now} heading={t.archiveHeading} idPrefix="archive" />}
      {footer}
    </div>
  );
}

function sliceCount(data: ArchiveData, range: DateRange, tz: string): number {
  const [lo, hi] = sliceRange(data.times, range, tz);
  return hi - lo;
}
