import { EMULATOR_HELP } from '../modules/emulator/emulator.help.ts';

/** `bizapi --help`: a module of its own, so the help answers without loading the server. */
export const HELP = `bizapi — a self-hosted emulator of the Amazon Business API platform

Usage: bizapi <command> [options]          (every command takes --json for machine-readable output)

  start                         migrate, seed the demo world (local mode) and serve
  migrate                       bring the database schema up to date
  seed                          seed the demo world if it is missing
  demo                          print the demo world (app credentials, users, operator key)
  history --orders N [--days D] [--seed S] [--business ID]     generate an order history (past orders through the
                                purchasing rules, with approvals and returns), with a progress bar; the same seed adds nothing twice
  admin-key create --name N     create an operator API key (printed once)
  business list | show <id>
  business create --name N --marketplaces US,CA [--legal-entities "A,B"]
  user add <businessId> --email E --name N --role R [--password P] [--admin-of le1,le2] [--groups g1] [--mace]
  user update <userId> [--role R] [--status active|disabled] [--mace true|false] [--admin-of ...] [--password P]
  reviews list [--status pending] [--kind profile|role_request|listing|tps|privileged_fields]
  reviews approve <reviewId> [--reason R]
  reviews deny <reviewId> --reason R
  usage-plan set <appId> <operationId> --rate R --burst B
  usage-plan list <appId>
  privileged grant|revoke <appId> <field> [<field> …]
  apps list | show <appId> | suspend <appId> | unsuspend <appId>
  authorize --application-id ID --admin EMAIL [--marketplace US|CA|MX|UK|DE|FR|IT|ES|IN|JP|AU | --region NA|EU|FE] [--beta]
                 one marketplace per authorization (tokens are per marketplace); --region alone takes the
                 business's first marketplace of the region
  authorizations list [--app <appId>] | revoke <authorizationId>
  audit [--subject-id ID] [--action A] [--limit N]
  catalog import <file> [--format jsonl|csv] [--batch-size N] [--bulk on|off]   upsert by ASIN, resumable, with a progress bar;
                 a file of 20,000 lines or more into an empty catalog is a bulk load (one transaction, indexes
                 built at the end) unless --bulk off; --bulk on asks for one (the catalog must be empty)
  catalog generate --products N [--seed S] [--out file]        a synthetic catalog as JSON Lines
${EMULATOR_HELP}
  --version                     the package version, the API versions it implements and the model files it was checked against

Configuration comes from the environment: PORT, HOST, DATA_DIR, DATABASE_URL, REDIS_URL, … (docs/configuration.md).`;
