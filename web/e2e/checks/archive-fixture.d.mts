// Types of archive-fixture.mjs, for the unit tests that import it.
export declare function createdAt(ms: number): string;
export declare function monthlyCreatedAt(ms: number): string;
export declare const SOURCES: { web: string; iphone: string; android: string; bot: string };
export declare function personPosts(opts: PersonOptions): { times: number[]; sources: string[] };
export declare function archiveJSON(v: unknown, indent?: string): string;

export interface PersonOptions {
  posts: number;
  perDay?: number;
  end?: number;
  utcOffsetHours?: number;
  wake?: number;
  bed?: number;
  automatedShare?: number;
  seed?: number;
  /** A lasting move: from local date `day` (YYYY-MM-DD, first clock) on, wake and bed run `hours` later in UTC (+: west). */
  move?: { day: string; hours: number };
}

export interface ArchiveOptions extends PersonOptions {
  partSize?: number;
  layout?: 'current' | 'tweet' | 'monthly' | 'js';
  level?: number;
  media?: number;
  omitPart?: number;
  path?: string;
}

/** The bytes of an archive (held in memory). */
export declare function makeArchive(opts: ArchiveOptions): Uint8Array;

export declare function buildArchive(opts: ArchiveOptions): {
  times: number[];
  sources: string[];
  size: number;
  bytes: Uint8Array | undefined;
};
