import { ConfigError, loadConfig } from './config.js';

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

// Each command loads its own modules only when run, so `serve` does not pay for the seed generator and the like.
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return (await import('./commands/serve.js')).serveCommand(config, rest);
    case 'migrate':
      return (await import('./commands/maintenance.js')).migrateCommand(config);
    case 'token':
      return (await import('./commands/token.js')).tokenCommand(config, rest);
    case 'app':
      return (await import('./commands/oauth-app.js')).oauthAppCommand(config, rest);
    case 'group':
      return (await import('./commands/visibility-group.js')).visibilityGroupCommand(config, rest);
    case 'import':
      return (await import('./commands/import.js')).importCommand(config, rest);
    case 'purge':
      return (await import('./commands/maintenance.js')).purgeCommand(config);
    case 'reindex':
      return (await import('./commands/maintenance.js')).reindexCommand(config);
    case 'seed':
      return (await import('./commands/seed.js')).seedCommand(config, rest);
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
