export class UnknownSourceError extends Error {
  constructor(readonly sourceId: string) {
    super(`No source named "${sourceId}" is loaded.`);
    this.name = 'UnknownSourceError';
  }
}
