import fs from 'node:fs';
import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import { VirtualClock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import { seedDemo } from '../demo/index.ts';
import { ClockService, type ClockView } from './clock.service.ts';
import { FaultService, type FaultInput, type FaultView } from './faults.service.ts';
import { readState } from './state.repository.ts';
import { WorldService } from './world.service.ts';

/** The CLI's flags that these commands read. */
export interface EmulatorCliFlags {
  operation?: string;
  app?: string;
  business?: string;
  status?: string;
  latency?: string;
  count?: string;
  percentage?: string;
  note?: string;
  all?: boolean;
  seed?: string;
}

/** What a command prints: the data for --json and the line(s) for people. */
export interface CliResult {
  data: unknown;
  human: string;
}

export const EMULATOR_COMMANDS = ['clock', 'faults', 'snapshot', 'reset'] as const;

export { EMULATOR_HELP } from './emulator.help.ts';

/** Thrown for a command line that does not make sense. */
export class EmulatorUsageError extends Error {}

const clockLine = (v: ClockView): string =>
  `Platform time: ${v.now} (offset ${v.offsetMs >= 0 ? '+' : ''}${(v.offsetMs / 1000).toFixed(3)} s from the wall clock)`;
const faultLine = (f: FaultView): string =>
  `${f.id}\t${f.status ?? '-'}\t${f.latencyMs ? `+${f.latencyMs}ms` : '-'}\t${f.operation ?? '*'}\t${f.appId ?? '*'}\t${f.businessId ?? '*'}\t${f.remaining ?? '∞'} left\t${f.percentage}%${f.active ? '' : '\t(used up)'}`;

function intFlag(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new EmulatorUsageError(`${flag} must be a whole number`);
  return Number(v);
}

/**
 * Runs an emulator command against the database directly, as the other CLI commands do. Running
 * servers answer their next request by the new state (they check the shared state before each one).
 */
export async function runEmulatorCommand(
  command: string,
  args: string[],
  flags: EmulatorCliFlags,
  ctx: AppContext,
  services: Services,
): Promise<CliResult> {
  const bridge = ctx.config.redisUrl
    ? await (await import('../../platform/events/redis-bridge.ts')).RedisEventBridge.connect(ctx.config.redisUrl, ctx.events)
    : null;
  try {
    return await run(command, args, flags, ctx, services);
  } finally {
    await bridge?.close();
  }
}

const requireEmulator = (ctx: AppContext): void => {
  if (!ctx.config.emulator)
    throw new AppError('InvalidState', 'The emulator controls are off in this configuration (BIZAPI_MODE=production or EMULATOR=false).');
};

async function run(command: string, args: string[], flags: EmulatorCliFlags, ctx: AppContext, services: Services): Promise<CliResult> {
  const sub = args[0];
  const applyClock = async (): Promise<void> => {
    if (ctx.clock instanceof VirtualClock) ctx.clock.setOffset((await readState(ctx.db.kysely)).clockOffsetMs);
  };
  switch (command) {
    case 'clock': {
      requireEmulator(ctx);
      if (!(ctx.clock instanceof VirtualClock)) throw new AppError('InvalidState', 'The platform clock is not virtual.');
      const clock = new ClockService(ctx, ctx.clock, applyClock);
      let view: ClockView;
      if (sub === undefined || sub === 'show') view = clock.view();
      else if (sub === 'advance') {
        const seconds = Number(args[1]);
        if (args[1] === undefined || !Number.isFinite(seconds)) throw new EmulatorUsageError('clock advance <seconds>');
        view = await clock.advance('operator:cli', seconds * 1000);
      } else if (sub === 'set') {
        const at = Date.parse(args[1] ?? '');
        if (Number.isNaN(at)) throw new EmulatorUsageError('clock set <ISO time>, e.g. 2027-01-01T00:00:00Z');
        view = await clock.set('operator:cli', at);
      } else if (sub === 'reset') view = await clock.reset('operator:cli');
      else throw new EmulatorUsageError('clock [advance <seconds> | set <ISO time> | reset]');
      return { data: view, human: clockLine(view) };
    }
    case 'faults': {
      requireEmulator(ctx);
      const faults = new FaultService(ctx, services);
      if (sub === 'list') {
        const all = await faults.list();
        return { data: all, human: all.map(faultLine).join('\n') || 'No fault rules.' };
      }
      if (sub === 'add') {
        const input: FaultInput = {};
        if (flags.operation) input.operation = flags.operation;
        if (flags.app) input.appId = flags.app;
        if (flags.business) input.businessId = flags.business;
        const status = intFlag(flags.status, '--status');
        if (status !== undefined) input.status = status;
        const latency = intFlag(flags.latency, '--latency');
        if (latency !== undefined) input.latencyMs = latency;
        const count = intFlag(flags.count, '--count');
        if (count !== undefined) input.count = count;
        const percentage = intFlag(flags.percentage, '--percentage');
        if (percentage !== undefined) input.percentage = percentage;
        if (flags.note) input.note = flags.note;
        const f = await faults.create('operator:cli', input);
        return { data: f, human: `Added fault rule ${f.id}\n${faultLine(f)}` };
      }
      if (sub === 'remove') {
        if (flags.all) {
          const removed = await faults.remove('operator:cli', null);
          return { data: { removed }, human: `Removed ${removed} fault rule(s).` };
        }
        const id = args[1];
        if (!id) throw new EmulatorUsageError('faults remove <faultId> | faults remove --all');
        await faults.remove('operator:cli', id);
        return { data: { removed: 1 }, human: `Removed fault rule ${id}.` };
      }
      throw new EmulatorUsageError('faults list | add … | remove <faultId>');
    }
    case 'snapshot': {
      const world = new WorldService(ctx, { before: async () => undefined, after: applyClock });
      const file = args[1];
      if ((sub !== 'save' && sub !== 'load') || !file) throw new EmulatorUsageError('snapshot save <file> | snapshot load <file>');
      if (sub === 'save') {
        const snapshot = await world.save();
        const text = JSON.stringify(snapshot);
        fs.writeFileSync(file, text);
        const rows = Object.values(snapshot.tables).reduce((n, t) => n + t.rows.length, 0);
        return {
          data: { file, bytes: Buffer.byteLength(text), tables: Object.keys(snapshot.tables).length, rows },
          human: `Saved ${rows} rows of ${Object.keys(snapshot.tables).length} tables to ${file}.`,
        };
      }
      let document: unknown;
      try {
        document = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        throw new AppError('ValidationError', `Could not read ${file} as JSON: ${(err as Error).message}`);
      }
      const result = await world.load(document);
      const rows = Object.values(result.tables).reduce((n, c) => n + c, 0);
      const disabled = result.disabled.length
        ? `\nWARNING: disabled credentials whose secrets are published in bizapi's repository:\n${result.disabled.map((d) => `  - ${d}`).join('\n')}`
        : '';
      return {
        data: { file, ...result },
        human: `Loaded ${rows} rows of ${Object.keys(result.tables).length} tables from ${file}.${disabled}`,
      };
    }
    case 'reset': {
      requireEmulator(ctx);
      const world = new WorldService(ctx, { before: async () => undefined, after: applyClock });
      const seed = flags.seed === undefined ? ctx.config.seedDemo : ['true', '1', 'yes'].includes(flags.seed.toLowerCase());
      const result = await world.reset(seed ? () => seedDemo(ctx, services) : null);
      return {
        data: { reset: true, ...result },
        human: result.seeded ? 'Reset: every table emptied and the demo world seeded.' : 'Reset: every table emptied.',
      };
    }
    default:
      throw new EmulatorUsageError(`unknown command "${command}"`);
  }
}
