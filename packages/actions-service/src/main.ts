/** `tsx packages/actions-service/src/main.ts`: the service, configured from the environment. */
import { configFromEnv, startService } from './service.js';

const service = await startService(configFromEnv()).catch((e: Error) => {
  console.error(`actions service: ${e.message}`);
  process.exit(1);
});
console.log(`actions service: ${service.url} (${service.db.kind}, snapshot ${service.usage.snapshotId})`);
// Where e-mails go (host only: SMTP_URL may hold a password); without SMTP_URL they wait in the outbox.
console.log(
  process.env.SMTP_URL
    ? `outbox: e-mail via ${new URL(process.env.SMTP_URL).host}, in-app notices and webhooks delivered`
    : 'outbox: SMTP_URL not set — e-mails stay queued in the outbox; in-app notices and webhooks are delivered',
);
// SIGHUP: take a newly published snapshot now instead of at the next poll (SNAPSHOT_POLL_MS).
process.on('SIGHUP', () => {
  void service
    .refreshSnapshot()
    .then((r) =>
      console.log(
        r.changed
          ? `actions service: now on snapshot ${r.snapshotId}`
          : `actions service: snapshot ${r.snapshotId} kept${r.error ? ` (${r.error.message})` : ''}`,
      ),
    );
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void service.close().finally(() => process.exit(0));
  });
}
