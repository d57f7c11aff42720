/**
 * An incremental RFC 4180 reader (the counterpart of csv.ts): feed text in chunks, get records back
 * with the file line each starts on, so errors can name line and column. Quoted fields may hold
 * commas, doubled quotes and line breaks; CRLF and LF both end records.
 */
export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

export class CsvReader {
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  /** Inside a quoted field. */
  private inQuotes = false;
  /** A quote seen inside quotes: either the first of a doubled quote or the closing one. */
  private quotePending = false;
  private line = 1;
  private recordLine = 1;
  private lastWasCr = false;

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (const c of chunk) {
      if (this.lastWasCr) {
        this.lastWasCr = false;
        if (c === '\n') continue; // the LF of a CRLF that already ended the record
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false; // that quote closed the field; c is read below
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
          continue;
        }
      }
      if (c === ',') this.endField();
      else if (c === '\n' || c === '\r') {
        this.endField();
        out.push(this.endRecord());
        this.line++;
        this.recordLine = this.line;
        this.lastWasCr = c === '\r';
      } else if (c === '"') {
        if (this.field !== '' || this.quoted)
          throw new CsvSyntaxError(this.line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
        this.inQuotes = true;
        this.quoted = true;
      } else {
        if (this.quoted) throw new CsvSyntaxError(this.line, 'text after the closing quote of a field');
        this.field += c;
      }
    }
    return out.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  }

  /** Ends the input: the last record, if the file does not end with a line break. */
  end(): CsvRecord[] {
    if (this.inQuotes && !this.quotePending) throw new CsvSyntaxError(this.recordLine, 'a quoted field is never closed');
    this.inQuotes = false;
    this.quotePending = false;
    if (this.field === '' && this.fields.length === 0 && !this.quoted) return [];
    this.endField();
    return [this.endRecord()];
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.quoted = false;
  }

  private endRecord(): CsvRecord {
    const record = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    return record;
  }
}

/**
 * Undoes csv.ts's formula neutralisation: a cell written as "'=…" (an apostrophe before = + - @,
 * tab or CR) held "=…". A cell that really started with an apostrophe followed by one of those
 * cannot be told apart; such text does not occur in step texts or product ids.
 */
export function unneutralise(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
