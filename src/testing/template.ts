import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_VERSION } from '../kernel/version.ts';
import { SCHEMA_VERSION } from '../modules/emulator/version.ts';
import { SAMPLE_CATALOG_FILE } from '../modules/catalog/index.ts';

/** The SQLite file name the server opens in its data folder. */
export const SQLITE_FILE = 'bizapi.sqlite';

/**
 * Where built worlds are kept by default: a folder of the user's temp directory.
 * A world is built once (migrations, demo world, sample catalog, order history: seconds) into a
 * SQLite file there; every instance then starts from a copy of that file (milliseconds).
 */
export function defaultTemplateDir(): string {
  return path.join(os.tmpdir(), `bizapi-templates-${os.userInfo().uid}`);
}

/**
 * The template's name: everything that changes what building it would produce. The package version
 * and schema, the sample catalog file, the world description, and the day (the demo world's order
 * history is placed relative to the day it is built on).
 */
export function templateKey(world: unknown, now: number): string {
  const stat = fs.statSync(SAMPLE_CATALOG_FILE);
  const hash = createHash('sha256')
    .update(JSON.stringify({ world, version: PACKAGE_VERSION, schema: SCHEMA_VERSION, catalog: [stat.size, stat.mtimeMs] }))
    .digest('hex')
    .slice(0, 20);
  return `${new Date(now).toISOString().slice(0, 10)}-${hash}`;
}

/**
 * The template file for a key, built by `build` into a fresh folder when it is missing. Builders that
 * race (test files starting at once) each build their own and the first rename wins: a template is
 * whole or absent, never half-written; its companions are in place before it.
 */
export async function ensureTemplate(
  dir: string,
  key: string,
  build: (dataDir: string) => Promise<void>,
  /** Files the build writes beside the database (`bizapi.sqlite.<suffix>`), kept as `<template>.<suffix>`. */
  companions: readonly string[] = [],
): Promise<string> {
  const file = path.join(dir, `${key}.sqlite`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const work = fs.mkdtempSync(path.join(dir, `.build-${randomUUID().slice(0, 8)}-`));
  try {
    await build(work);
    const built = path.join(work, SQLITE_FILE);
    for (const suffix of ['-wal', '-shm'])
      if (fs.existsSync(built + suffix) && fs.statSync(built + suffix).size > 0)
        throw new Error(`the template's ${suffix} file was not checkpointed`);
    // The companions first: a template file exists only once everything beside it does.
    for (const name of companions) fs.renameSync(path.join(work, name), file + name.slice(SQLITE_FILE.length));
    fs.renameSync(built, file);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return file;
}
