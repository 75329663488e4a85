import { ConfigError, loadConfig } from './config.js';
import { importCommand } from './commands/import.js';
import { migrateCommand, purgeCommand, reindexCommand } from './commands/maintenance.js';
import { oauthAppCommand } from './commands/oauth-app.js';
import { seedCommand } from './commands/seed.js';
import { serveCommand } from './commands/serve.js';
import { tokenCommand } from './commands/token.js';
import { visibilityGroupCommand } from './commands/visibility-group.js';

const USAGE = `usage: personsd <command>

  serve [--workers N]          migrate, then serve the API (N processes; 0 = one per core)
  migrate                      bring the database schema (and the search index's format) up to date
  token create --user <id>     issue a new API token for a user (revokes the old one); prints only the token
  purge                        remove persons and organizations deleted more than 30 days ago
  reindex                      rebuild the search index from the records (e.g. after a rolling deploy)
  app create --name <name> --redirect-uri <url> [--scopes a,b]
                               register an OAuth app; prints its client_id and client_secret
  group create --company <id> --name <name> [--parent <id>]
                               create a visibility group; prints its id
  group assign --company <id> --user <id> --group <id|none>
                               move a user into a visibility group (or out of all)
  import <file.csv|file.vcf> --user <id> [--policy allow|reject|upsert] [--map "Header=field"]... [--report FILE]
                               import persons as that user (progress on stderr; exit 1 when rows were rejected)
  seed --file fixtures.json [--company <id>]
                               load a fixtures document (the admin API's format) in one transaction; prints the ids
  seed --persons <n> [--locale de] [--seed <n>] [--company <id>]
                               generate realistic persons, organizations and deals (default: the first company)

Configuration comes from environment variables; see the README.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serveCommand(config, rest);
    case 'migrate':
      return migrateCommand(config);
    case 'token':
      return tokenCommand(config, rest);
    case 'app':
      return oauthAppCommand(config, rest);
    case 'group':
      return visibilityGroupCommand(config, rest);
    case 'import':
      return importCommand(config, rest);
    case 'purge':
      return purgeCommand(config);
    case 'reindex':
      return reindexCommand(config);
    case 'seed':
      return seedCommand(config, rest);
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? `personsd: ${err.message}` : err);
    process.exit(1);
  },
);
