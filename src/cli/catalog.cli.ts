import fs from 'node:fs';
import { once } from 'node:events';
import { CatalogImporter, generateCatalog, type CatalogService, type ImportOptions, type ImportReport } from '../modules/catalog/index.ts';

/** Counts the lines of a file quickly, for the progress bar's total. */
async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Buffer;
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  }
  return n;
}

/** A text progress bar: `[######........] 40%`. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%`;
}

/** `bizapi catalog import <file>`: upsert by ASIN in batches, with a progress bar and a report of rejected rows. */
export async function importCatalog(
  catalog: CatalogService,
  file: string,
  options: { format?: 'jsonl' | 'csv'; batchSize?: number; bulk?: boolean; json: boolean; onProgress?: ImportOptions['onProgress'] },
): Promise<ImportReport> {
  if (!fs.existsSync(file)) throw new Error(`no such file: ${file}`);
  const total = await countLines(file);
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  // Ctrl-C: the batch in flight rolls back with its transaction; committed batches stay and the
  // next run of the same file resumes after them.
  const onInterrupt = () => {
    process.stderr.write('\ninterrupted: committed batches are kept; run the same command again to resume\n');
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    const report = await new CatalogImporter(catalog).importFile(file, {
      format: options.format,
      batchSize: options.batchSize,
      bulk: options.bulk,
      onProgress: (p) => {
        options.onProgress?.(p);
        if (options.json) return;
        const now = Date.now();
        if (!tty && now - lastPrint < 2000) return;
        lastPrint = now;
        const rate = Math.round(p.products / Math.max(0.001, (now - started) / 1000));
        const line = `${progressBar(p.linesDone, total)} ${p.linesDone}/${total} lines, ${p.products} products, ${p.rejected} rejected, ${rate}/s`;
        process.stderr.write(tty ? `\r${line}` : `${line}\n`);
      },
    });
    if (tty && !options.json) process.stderr.write('\n');
    return report;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

export function describeImport(report: ImportReport, seconds: number): string {
  const lines = [
    `${report.status === 'skipped' ? 'Already imported' : report.status === 'partial' ? 'Partly imported (run again to resume)' : 'Imported'} ${report.source}: ${report.products} products, ${report.offers} offers, ${report.merchants} merchants, ${report.categories} categories in ${seconds.toFixed(1)} s${report.resumedAfterLine ? ` (resumed after line ${report.resumedAfterLine})` : ''}.`,
  ];
  if (report.rejected > 0) {
    lines.push(`${report.rejected} rejected row(s):`);
    for (const r of report.rejections.slice(0, 50)) lines.push(`  line ${r.line}${r.asin ? ` (${r.asin})` : ''}: ${r.reason}`);
    if (report.rejected > 50) lines.push(`  … ${report.rejected - 50} more (use --json for the first ${report.rejections.length})`);
  }
  return lines.join('\n');
}

/** `bizapi catalog generate --products N`: a synthetic catalog as JSON Lines, to a file or stdout. */
export async function generateCatalogFile(count: number, seed: string, out: string | undefined): Promise<number> {
  const stream = out ? fs.createWriteStream(out) : process.stdout;
  let buffer = '';
  let records = 0;
  for (const record of generateCatalog(count, seed)) {
    buffer += `${JSON.stringify(record)}\n`;
    records++;
    if (buffer.length > 1 << 20) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
  }
  stream.write(buffer);
  if (out) {
    (stream as fs.WriteStream).end();
    await once(stream, 'finish');
  }
  return records;
}
