// Why an archive could not be read. Each code has its own message in the i18n catalogue, so a
// person can tell "this is not an archive" from "a part is missing" from "our side failed".

/**
 * - not_archive: not a zip (nor a tweets .js file)
 * - no_tweets: a zip without any tweets file
 * - missing_part: a tweets part the archive lists (or numbers) is not in it
 * - old_layout: an archive layout this app cannot read (tweets.csv only)
 * - unsupported_zip: a zip feature the browser cannot read (encryption, an unusual compression)
 * - corrupt: the zip is damaged or cut short
 * - bad_tweets: a tweets file that is not a list of posts
 * - empty: an archive with no posts
 * - worker_failed: the reader itself stopped (this device, not the archive)
 * - analyzer_failed: the analyzer could not be loaded or failed (this device or our server)
 */
export type ArchiveErrorCode =
  | 'not_archive'
  | 'no_tweets'
  | 'missing_part'
  | 'old_layout'
  | 'unsupported_zip'
  | 'corrupt'
  | 'bad_tweets'
  | 'empty'
  | 'worker_failed'
  | 'analyzer_failed';

/** A failure with a code the UI can explain. `detail` names the file involved, when one is. */
export class ArchiveError extends Error {
  readonly code: ArchiveErrorCode;
  readonly detail: string;
  constructor(code: ArchiveErrorCode, message: string, detail = '') {
    super(message);
    this.name = 'ArchiveError';
    this.code = code;
    this.detail = detail;
  }
}
