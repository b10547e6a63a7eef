// What a failed archive share (or its deletion) says to the person: the kind of failure in
// plain words, never the raw text of an exception or a server message.
import { ApiError } from '../../api/client';
import { dateTimeText } from '../../components/Countdown';
import type { Messages } from '../../i18n/catalogue';

export function archiveShareProblem(t: Messages, err: unknown, lang: string): string {
  if (!(err instanceof ApiError)) return t.archiveShareNotReady; // the summary failed on this device
  switch (err.kind) {
    case 'network':
      return t.shareError.network;
    case 'rate_limited':
      return t.shareError.rate(dateTimeText(lang, err.resetAt ?? Date.now() + (err.retryAfter ?? 60) * 1000));
    case 'rejected':
    case 'invalid_timezone':
      return t.archiveShareRefused;
    default:
      return t.shareError.unavailable;
  }
}
