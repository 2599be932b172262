/**
 * A source file or page that cannot be turned into article text.
 * `reason` is written for the moderator who added the source, so it is shown to users as is.
 */
export class SourceFormatError extends Error {
  constructor(
    readonly reason: string,
    readonly fileName?: string,
  ) {
    super(fileName === undefined ? reason : `${fileName}: ${reason}`);
    this.name = 'SourceFormatError';
  }
}
