import { describe, expect, it } from 'vitest';
import { noticeFromSearch, urlWithoutError } from './notice';

describe('notice', () => {
  it.each([
    ['', null],
    ['?foo=1', null],
    ['?error=denied', { kind: 'denied' }],
    ['?error=access_denied', { kind: 'denied' }],
    ['?error=callback_failed', { kind: 'failed', code: 'callback_failed' }],
    ['?error=<b>hi</b>', { kind: 'failed', code: 'unknown' }],
  ])('%s -> %j', (search, want) => {
    expect(noticeFromSearch(search)).toEqual(want);
  });

  it('drops only the error parameter', () => {
    expect(urlWithoutError('http://x.test/?error=denied&lang=ja#top')).toBe('/?lang=ja#top');
    expect(urlWithoutError('http://x.test/?error=denied')).toBe('/');
  });
});
