// The `bizapi` command's entry: the help and the version answer from small modules; every other
// command loads the CLI (and with it the server) only when it is needed.
import { HELP } from './help.ts';

const argv = process.argv.slice(2);
const first = argv[0];
if (first === undefined || first === 'help' || argv.includes('--help') || argv.includes('-h')) {
  console.log(HELP);
  if (first === undefined) process.exitCode = 2;
} else if (first === '--version' || first === '-v' || first === 'version') {
  const { VERSION_INFO, describeVersion } = await import('../modules/registry/versions.ts');
  console.log(argv.includes('--json') ? JSON.stringify(VERSION_INFO, null, 2) : describeVersion());
} else {
  await import('./main.ts');
}
