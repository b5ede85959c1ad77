/** The emulator commands' lines of `bizapi --help` (a module of its own: the help answers without loading the server). */
export const EMULATOR_HELP = `  clock [advance <seconds> | set <ISO time> | reset]    the virtual clock (emulator mode)
  faults list | add [--operation OP] [--app ID] [--business ID] (--status 429|500|503|504 | --latency MS)
              [--count N] [--percentage P] [--note T] | remove <faultId> | remove --all
  snapshot save <file> | load <file>                    the whole state as one JSON document
  reset [--seed true|false]                             empty every table and seed the demo world again`;
