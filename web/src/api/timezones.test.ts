import { describe, expect, it } from 'vitest';
import { canonicalZone, cityOf, knownZones, searchZones, utcOffsetLabel } from './timezones';

describe('time zones', () => {
  it.each([
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Etc/UTC', 'UTC'],
    ['Asia/Tokyo', 'Asia/Tokyo'],
    ['US/Pacific', 'America/Los_Angeles'],
    ['Mars/Olympus', 'Mars/Olympus'],
  ])('canonicalZone(%s) = %s', (icu, iana) => {
    expect(canonicalZone(icu)).toBe(iana);
  });

  it('lists every zone the browser knows by its canonical name, with UTC', () => {
    const zones = knownZones(() => ['Asia/Calcutta', 'Asia/Tokyo', 'Europe/Kiev']);
    expect(zones).toEqual(['Asia/Kolkata', 'Asia/Tokyo', 'Europe/Kyiv', 'UTC']);
    expect(knownZones().length).toBeGreaterThan(300);
    expect(knownZones()).not.toContain('Asia/Calcutta');
  });

  it('finds zones by city or zone, cities that start with the words first', () => {
    const zones = knownZones();
    expect(searchZones(zones, 'new york')).toEqual(['America/New_York']);
    expect(searchZones(zones, 'tokyo')).toEqual(['Asia/Tokyo']);
    expect(searchZones(zones, 'Asia/Kol')[0]).toBe('Asia/Kolkata');
    expect(searchZones(zones, 'sao paulo')).toEqual(['America/Sao_Paulo']);
    expect(searchZones(zones, 'buenos')[0]).toBe('America/Argentina/Buenos_Aires');
    expect(searchZones(zones, '   ')).toEqual([]);
    expect(cityOf('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
  });

  it('labels offsets', () => {
    expect(utcOffsetLabel('Asia/Tokyo', Date.UTC(2026, 0, 1))).toBe('UTC+09:00');
    expect(utcOffsetLabel('UTC', Date.UTC(2026, 0, 1))).toBe('UTC+00:00');
    expect(utcOffsetLabel('Nowhere/Special', 0)).toBe('');
  });
});
