/** CSV as RFC 4180 writes it: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF, quotes doubled. Pure. */

export type CsvCell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

/** One field: null is empty; numbers as written by String(). */
export function csvField(value: CsvCell): string {
  if (value === null) return '';
  const s = String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole file: the header row, then every row (each as long as the header), each line ended by CRLF. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const out: string[] = [header.map(csvField).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`csv: a row has ${row.length} fields, the header ${header.length}`);
    out.push(row.map(csvField).join(','));
  }
  return `${out.join('\r\n')}\r\n`;
}
