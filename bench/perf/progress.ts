/** One progress line on stderr: rewritten in place on a terminal, throttled plain lines otherwise. */
export class Progress {
  private readonly started = performance.now();
  private lastPlain = 0;
  private lastText = '';
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }

  elapsed(): string {
    const s = Math.round((performance.now() - this.started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }

  /** A transient status; `important` ones always print in non-TTY mode. */
  update(text: string, important = false): void {
    const line = `[${this.elapsed()}] ${text}`;
    if (this.tty) {
      const width = this.stream.columns > 20 ? this.stream.columns - 1 : 200;
      this.stream.write(`\r\x1b[K${line.slice(0, width)}`);
      this.lastText = line;
      return;
    }
    const now = performance.now();
    if (important || now - this.lastPlain > 15_000) {
      this.stream.write(`${line}\n`);
      this.lastPlain = now;
    }
  }

  /** A permanent line (results, skips). */
  log(text: string): void {
    if (this.tty && this.lastText !== '') this.stream.write('\r\x1b[K');
    this.stream.write(`[${this.elapsed()}] ${text}\n`);
    this.lastText = '';
  }

  done(): void {
    if (this.tty && this.lastText !== '') this.stream.write('\r\x1b[K');
    this.lastText = '';
  }
}
